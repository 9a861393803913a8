import { z } from 'zod';
import { codeParam, dateParam } from '../../lib/http.js';

export const publishListBody = z.object({
  validFrom: dateParam.describe('The local date the version takes effect: today or later'),
  basis: z.string().trim().min(3).max(300).describe('The decision that sets the list, e.g. "Quyết định 1234/QĐ-UBND ngày 20/11/2026"'),
  allCityLevel: z.boolean().describe('Every procedure of city (province) level is on the list'),
  procedureCodes: z.array(codeParam).max(5000).describe('Procedures named (any level), by catalogue code'),
  reason: z.string().trim().min(3).max(500),
});

export const listSummary = z.object({
  id: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  basis: z.string(),
  allCityLevel: z.boolean(),
  procedureCodes: z.array(z.string()),
});
export const listDetail = listSummary.extend({ reason: z.string(), createdBy: z.string(), createdAt: z.date() });

export const onQuery = z.object({ on: dateParam.optional() });
export const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const procedureOnView = z.object({
  procedureCode: z.string(),
  level: z.string(),
  on: z.string(),
  listed: z.boolean(),
  listId: z.number().int().nullable(),
  because: z.enum(['all_city_level', 'named']).nullable(),
});
