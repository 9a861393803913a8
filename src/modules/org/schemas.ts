import { z } from 'zod';
import { codeParam, dateParam, pageMeta, pageQuery } from '../../lib/http.js';

export const level = z.enum(['province', 'district', 'commune']);
const period = { validFrom: z.string(), validTo: z.string().nullable() };

export const unit = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  level,
  parentCode: z.string().nullable(),
  ...period,
});
export const unitLink = z.object({
  code: z.string(),
  validFrom: z.string().nullable().describe('the version of the linked unit (null: before the history this system holds)'),
  name: z.string(),
  partial: z.string().nullable().describe('set when the old unit was split and only part of it went here'),
  basis: z.string(),
});
export const predecessorLink = unitLink.extend({ districtCode: z.string().nullable(), districtName: z.string().nullable(), provinceCode: z.string() });
export const unitDetail = unit.extend({
  history: z.array(unit).describe('every unit this code has denoted, oldest first, each with its validity [validFrom, validTo)'),
  predecessors: z.array(predecessorLink).describe('the old units this one was formed from'),
  successors: z.array(unitLink).describe('the units this one became'),
});
export const desk = z.object({ code: z.string(), name: z.string(), unitCode: z.string(), level, ...period });
export const agency = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  level,
  unitCode: z.string(),
  parentCode: z.string().nullable(),
  templateCode: z.string().nullable(),
  ...period,
});

/** `asOf`: the local date whose organisation is wanted (default today). */
const asOf = { asOf: dateParam.optional() };
export const unitsQuery = z.object({ ...pageQuery, ...asOf, level: level.optional(), parent: codeParam.optional() });
export const desksQuery = z.object({ ...pageQuery, ...asOf, level: level.optional(), unit: codeParam.optional() });
export const agenciesQuery = z.object({
  ...pageQuery,
  ...asOf,
  level: level.optional(),
  unit: codeParam.optional(),
  kind: z.string().trim().max(40).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export const byCode = z.object({ code: codeParam });
export const asOfQuery = z.object(asOf);

export const page = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), ...pageMeta });
