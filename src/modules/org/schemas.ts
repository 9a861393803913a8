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
