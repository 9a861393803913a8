import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/domain/postal/signature.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';

/**
 * Fuzzing every authenticated operation of the OpenAPI document with generated bad input (fast-check, fixed seed;
 * FUZZ_REQUESTS and FUZZ_SEED change them). Each write (POST, PUT, PATCH, DELETE) carries at least one value its
 * schema refuses, chosen from the parameter's or field's own schema: a NUL character, a date or instant outside the
 * supported years, a number beyond its bounds or beyond PostgreSQL's integer, a string too long or off its
 * pattern, a wrong type, a missing required field, an unknown field; sometimes two, with odd but valid text
 * elsewhere (quotes, SQL, wildcards, emoji, right-to-left marks, lone surrogates). Reads also get odd but valid
 * values. Never a 5xx; every write refused (4xx) and no row written (every table's count and newest row version,
 * checked every 100 requests), reads being recorded in the audit log only as reads.
 */
type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  additionalProperties?: unknown;
  nullable?: boolean;
};
interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  partner: boolean;
  params: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[];
  body: Schema | null;
}
const doc = JSON.parse(readFileSync(fromRoot('openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { security?: Record<string, unknown>[]; parameters?: { name: string; in: string; required?: boolean; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
};
// Changing the caller's own password, and runs with no input at all (nothing to make bad), are left out.
const LEFT_OUT = new Set(['POST /api/v1/auth/password', 'POST /api/v1/sla/sweep', 'POST /api/v1/quality-index/counters/rebuild', 'GET /api/v1/auth/me', 'GET /api/v1/postal/partners']);
const operations: Operation[] = [];
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    if (!op.security?.length || LEFT_OUT.has(`${method.toUpperCase()} ${path}`)) continue;
    operations.push({
      method: method.toUpperCase() as Operation['method'],
      path,
      partner: op.security.some((s) => 'partnerSignature' in s),
      params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query').map((p) => ({ name: p.name, in: p.in as 'path' | 'query', required: !!p.required, schema: p.schema })),
      body: op.requestBody?.content['application/json']?.schema ?? null,
    });
  }
}

const RUNS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const NUL = '\u0000';
/** Odd text that a schema may well accept: it must be stored or refused, never crash anything. */
const ODD_TEXT = ["' or 1=1 --", '%_%', '\\', '"; drop table dossiers; --', 'Nguyễn 🏛️ Văn', '\u202eabc', '\ud800', '\uffff', '   ', '0', '-1', '1e400', 'NaN', '../../etc/passwd', '${x}', 'null'];
/** Ids and numbers a schema may accept and PostgreSQL may not. */
const ODD_NUMBERS = [0, -1, 2 ** 31, 2 ** 53 - 1, 1e15];

// Plausible values for strings with a pattern: the first that matches is taken.
const CANDIDATES = ['2024-06-10', '2024-06-10T08:00:00+07:00', '2024', 'H502', '2.005559', '502-TP', '0905123456', '049090001234', '0101234567', 'FUZZP', '2.1', 'a@example.vn', 'BS-H502-240610-0001', 'abc'];

let ctx: TestContext;
let admin: Record<string, string>;
let desk: Record<string, string>;
let procedure: ProcedurePick;
let key: { id: string; secret: string };
const known: Record<string, string> = {};

function sample(s: Schema, name = ''): unknown {
  if (s.oneOf?.length) return sample(s.oneOf[0]!, name);
  if (s.anyOf?.length) return sample(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0]!, name);
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k)) out[k] = sample(v, k);
      return out;
    }
    case 'array':
      return s.items ? [sample(s.items, name)] : [];
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string': {
      if (s.format === 'date-time') return '2024-06-10T08:00:00+07:00';
      if (s.format === 'uri') return 'http://127.0.0.1:9/hooks';
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        const hit = CANDIDATES.find((c) => re.test(c) && c.length <= (s.maxLength ?? Infinity));
        if (hit) return hit;
      }
      const text = `Giá trị ${name}`;
      return text.slice(0, s.maxLength ?? text.length).padEnd(s.minLength ?? 0, 'x');
    }
    default:
      return 'x';
  }
}

/** Values the schema itself refuses (so a write carrying one must be refused). */
function refusedValues(s: Schema, inQuery: boolean): unknown[] {
  if (s.oneOf || s.anyOf) {
    const nullable = [...(s.oneOf ?? []), ...(s.anyOf ?? [])].some((o) => o.type === 'null');
    return inQuery ? [`x${NUL}`] : [`x${NUL}`, 12345, [], ...(nullable ? [] : [null])];
  }
  const out: unknown[] = [];
  switch (s.type) {
    case 'string': {
      out.push(`${String(sample(s))}${NUL}`);
      if (s.enum) out.push('not_a_value');
      if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength + 1));
      if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}') || s.format === 'date') out.push('0001-01-01', '9999-12-31', '0050-06-15', '2024-02-30');
      if (s.format === 'date-time' || s.pattern?.includes('T(?:')) out.push('0001-01-01T00:00:00Z', '9999-12-31T23:59:59+07:00', '2024-06-10T25:00:00+07:00');
      if (s.pattern && !new RegExp(s.pattern).test('!! ??')) out.push('!! ??');
      if (!inQuery) out.push(12345, ...(s.nullable ? [] : [null]), { a: 1 });
      break;
    }
    case 'integer':
    case 'number':
      if (s.maximum !== undefined) out.push(s.maximum + 1, 1e308);
      if (s.minimum !== undefined) out.push(s.minimum - 1);
      if (s.type === 'integer') out.push(1.5);
      out.push('abc', ...(inQuery ? ['1e400'] : s.nullable ? [] : [null]));
      break;
    case 'boolean':
      out.push('maybe', 2);
      break;
    case 'array':
      out.push('not-a-list');
      if (s.maxItems !== undefined && s.items) out.push(Array.from({ length: s.maxItems + 1 }, () => sample(s.items!)));
      if (s.items) out.push([null]);
      break;
    case 'object':
      out.push('not-an-object', []);
      break;
    default:
      out.push(`x${NUL}`);
  }
  return out;
}

interface Request {
  op: Operation;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** What makes it bad, for the report. */
  why: string[];
}

/** A request of the operation with plausible values everywhere. */
function base(op: Operation): Request {
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const p of op.params) {
    const value = p.in === 'path' ? pathValue(op, p.name) ?? sample(p.schema, p.name) : sample(p.schema, p.name);
    if (p.in === 'path') path[p.name] = value;
    else if (p.required) query[p.name] = value;
  }
  let body = op.body ? sample(op.body) : undefined;
  if (op.method === 'POST' && op.path === '/api/v1/dossiers') body = intakeBody(procedure, 'H502');
  if (op.method === 'POST' && op.path === '/api/v1/postal/dossiers') {
    const { channel: _channel, ...rest } = intakeBody(procedure, 'H502');
    body = { ...rest, postalClerk: { id: 'BD-1', name: 'Bưu tá' }, postOfficeCode: 'BC-1' };
  }
  return { op, path, query, body, why: [] };
}
function pathValue(op: Operation, name: string): string | undefined {
  if (name === 'code') return op.path.includes('/postal/partners/') ? 'FUZZP' : op.path.includes('/procedures/') ? procedure.code : op.path.includes('/postal/dossiers/') ? known.postal : known.dossier;
  if (name === 'id') return op.path.includes('/webhooks/') ? known.webhook : op.path.includes('/shipments/') ? known.shipment : known.decision;
  return { form: 'receipt', reference: known.reference, date: '2024-06-10', scope: 'province', indicator: '2.1' }[name];
}

/** Every place of a request that can be made bad, with the values that make it so. */
function badPlaces(op: Operation): { where: string; apply: (r: Request) => void; values: unknown[] }[] {
  const places: { where: string; apply: (r: Request) => void; values: unknown[] }[] = [];
  for (const p of op.params) {
    const values = refusedValues(p.schema, true).map((v) => (typeof v === 'string' ? v : String(v)));
    for (const v of values) places.push({ where: `${p.in}.${p.name}`, values: [v], apply: (r) => void ((p.in === 'path' ? r.path : r.query)[p.name] = v) });
    if (p.in === 'query' && p.required) places.push({ where: `query.${p.name} missing`, values: [undefined], apply: (r) => void delete r.query[p.name] });
  }
  places.push({ where: 'query.unknownParameter', values: ['1'], apply: (r) => void (r.query.unknownParameter = '1') });
  if (op.body) {
    const walk = (s: Schema, trail: string[]) => {
      for (const v of refusedValues(s, false)) places.push({ where: `body${trail.map((t) => `.${t}`).join('')}`, values: [v], apply: (r) => (r.body = setAt(r.body, trail, v)) });
      const object = s.oneOf?.[0] ?? s;
      if (object.type === 'object' && trail.length < 4) {
        for (const [k, child] of Object.entries(object.properties ?? {})) {
          walk(child, [...trail, k]);
          if (object.required?.includes(k)) places.push({ where: `body.${[...trail, k].join('.')} missing`, values: [undefined], apply: (r) => (r.body = setAt(r.body, [...trail, k], undefined)) });
        }
      }
      if (object.type === 'array' && object.items && trail.length < 4) walk(object.items, [...trail, '0']);
    };
    walk(op.body, []);
    places.push({ where: 'body.unknownField', values: [1], apply: (r) => (r.body = { ...(r.body as object), unknownField: 1 }) });
  }
  return places;
}
function setAt(value: unknown, trail: string[], v: unknown): unknown {
  if (!trail.length) return v;
  const [head, ...rest] = trail as [string, ...string[]];
  const container: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...((value && typeof value === 'object' ? value : {}) as object) };
  const next = setAt(container[head], rest, v);
  if (next === undefined) delete container[head];
  else container[head] = next;
  return container;
}

/** Percent-encoding that also sends a lone surrogate, as the bytes a careless client would (invalid UTF-8). */
function enc(value: unknown): string {
  const text = String(value);
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

let lastMs = 0;
async function send(r: Request) {
  let url = r.op.path.replace(/\{(\w+)\}/g, (_, n: string) => enc(r.path[n]));
  const query = Object.entries(r.query).filter(([, v]) => v !== undefined);
  if (query.length) url += `?${query.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
  const raw = r.body === undefined ? (r.op.method === 'GET' ? '' : '{}') : JSON.stringify(r.body);
  const headers: Record<string, string> = raw ? { 'content-type': 'application/json' } : {};
  if (r.op.partner) {
    const timestamp = new Date((lastMs = Math.max(Date.now(), lastMs + 1))).toISOString();
    Object.assign(headers, { 'x-partner-key': key.id, 'x-timestamp': timestamp, 'x-signature': sign(key.secret, r.op.method, url, timestamp, raw) });
  } else Object.assign(headers, r.op.method === 'POST' && r.op.path === '/api/v1/dossiers' ? desk : admin);
  return ctx.app.inject({ method: r.op.method, url, headers, ...(raw ? { payload: raw } : {}) });
}

/** Every table's row count and newest row version: any insert, update or delete changes it. */
async function snapshot() {
  const tables = (await ctx.deps.pool.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' and tablename not in ('audit_log') order by 1`)).rows.map((r) => r.t);
  const parts = tables.map((t) => `select '${t}' as t, count(*)::text as n, coalesce(max(xmin::text::bigint), 0)::text as x from "${t}"`);
  parts.push(`select 'audit_log (not reads)' as t, count(*)::text, coalesce(max(xmin::text::bigint), 0)::text from audit_log where action not like '%read%'`);
  const rows = (await ctx.deps.pool.query<{ t: string; n: string; x: string }>(parts.join(' union all '))).rows;
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}/${r.x}`]));
}

beforeAll(async () => {
  ctx = await startTestApp(); // the real present: partner signatures carry wall-clock timestamps
  admin = await loginAs(ctx, 'province_admin', { kind: 'unit', code: '49' });
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  procedure = await pickProcedure(ctx, sql`level = 'district' and field_code = 'DATDAI' and postal_eligible and jsonb_array_length(documents) >= 2 and documents @> '[{"required": true}]'`);
  const partner = await ctx.app.inject({ method: 'POST', url: '/api/v1/postal/partners', headers: admin, payload: { code: 'FUZZP', name: 'Bưu chính thử', webhookUrl: 'http://127.0.0.1:9/hooks', deliversResults: true } });
  key = partner.json().key;
  const intake = (payload: object) => ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: desk, payload });
  known.dossier = (await intake({ ...intakeBody(procedure, 'H502'), resultDelivery: { method: 'post', address: 'Số 1 Phan Bội Châu' } })).json().dossierCode;
  known.reference = (await intake({ ...intakeBody(procedure, 'H502'), documents: [] })).json().reference;
  const agency = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${known.dossier}`, headers: admin })).json().authorityAgencyCode;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${known.dossier}/handoffs`, headers: desk, payload: { toRole: 'specialist' } });
  const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: agency });
  await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${known.dossier}/completion`, headers: head, payload: { resultReference: 'KQ-1' } });
  const ids = (await ctx.deps.pool.query(`select (select min(id) from shipments)::text as shipment, (select min(id) from webhook_deliveries)::text as webhook, (select min(id) from delegation_decisions)::text as decision`)).rows[0];
  Object.assign(known, { shipment: ids.shipment ?? '1', webhook: ids.webhook ?? '1', decision: ids.decision ?? '1' });
  const { channel: _channel, ...rest } = intakeBody(procedure, 'H502');
  const raw = JSON.stringify({ ...rest, postalClerk: { id: 'BD-1', name: 'Bưu tá' }, postOfficeCode: 'BC-1' });
  const timestamp = new Date().toISOString();
  const submitted = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/postal/dossiers',
    payload: raw,
    headers: { 'content-type': 'application/json', 'x-partner-key': key.id, 'x-timestamp': timestamp, 'x-signature': sign(key.secret, 'POST', '/api/v1/postal/dossiers', timestamp, raw) },
  });
  known.postal = submitted.json().dossierCode ?? known.dossier;
}, 120_000);
afterAll(async () => ctx?.close());

describe('fuzzing the authenticated operations', () => {
  it(`answers ${RUNS} generated bad requests with no 5xx and writes nothing`, async () => {
    const catalogue = operations.map((op) => ({ op, places: badPlaces(op) }));
    const placeCount = catalogue.reduce((n, c) => n + c.places.reduce((m, p) => m + p.values.length, 0), 0);
    const requestArb = fc
      .tuple(fc.nat(catalogue.length - 1), fc.nat(), fc.nat(), fc.boolean(), fc.constantFrom(...ODD_TEXT), fc.constantFrom(...ODD_NUMBERS), fc.nat(3))
      .map(([i, a, b, second, odd, oddNumber, oddWhere]) => {
        const { op, places } = catalogue[i]!;
        const r = base(op);
        // Odd but valid text or numbers somewhere (reads get them alone, too).
        const strings = op.params.filter((p) => p.schema.type === 'string' && !p.schema.enum && !p.schema.pattern);
        const numbers = op.params.filter((p) => p.schema.type === 'integer' && p.schema.maximum === undefined);
        if (oddWhere === 1 && strings.length) (strings[a % strings.length]!.in === 'path' ? r.path : r.query)[strings[a % strings.length]!.name] = odd;
        if (oddWhere === 2 && numbers.length) (numbers[a % numbers.length]!.in === 'path' ? r.path : r.query)[numbers[a % numbers.length]!.name] = oddNumber;
        if (oddWhere === 3 && r.body && typeof r.body === 'object' && !Array.isArray(r.body)) {
          const text = Object.keys(r.body).find((k) => typeof (r.body as Record<string, unknown>)[k] === 'string' && !/code|date|at$|url|phone|id$/i.test(k));
          if (text) (r.body as Record<string, unknown>)[text] = `${(r.body as Record<string, unknown>)[text] as string} ${odd}`;
        }
        const bad = op.method !== 'GET' || a % 4 !== 0; // a quarter of the reads carry only odd but valid values
        if (bad) {
          const p = places[a % places.length]!;
          p.apply(r);
          r.why.push(p.where);
          if (second) {
            const q = places[b % places.length]!;
            q.apply(r);
            r.why.push(q.where);
          }
        }
        return r;
      });

    const tally: Record<string, number> = {};
    const failures: string[] = [];
    let before = await snapshot();
    let sent = 0;
    let writes = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const res = await send(r);
        sent++;
        tally[`${Math.floor(res.statusCode / 100)}xx`] = (tally[`${Math.floor(res.statusCode / 100)}xx`] ?? 0) + 1;
        const label = `${r.op.method} ${r.op.path} [${r.why.join(', ') || 'odd values only'}] → ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (res.statusCode >= 500) failures.push(label);
        if (r.op.method !== 'GET') {
          writes++;
          if (res.statusCode < 400) failures.push(`accepted: ${label}`);
        }
        if (sent % 100 === 0) {
          const now = await snapshot();
          const changed = Object.keys(now).filter((t) => now[t] !== before[t]);
          if (changed.length) failures.push(`rows written (${changed.join(', ')}) within requests ${sent - 99}..${sent}, the last: ${label}`);
          before = now;
        }
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const after = await snapshot();
    const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
    if (changed.length) failures.push(`rows written (${changed.join(', ')}) in the last requests`);
    console.info(
      `fuzz: ${sent} requests (seed ${SEED}) over ${operations.length} authenticated operations (${placeCount} bad values to choose from); ${writes} writes; answers ${JSON.stringify(tally)}; ${failures.length} failures`,
    );
    if (failures.length) console.info(failures.slice(0, 40).join("\n"));
    expect(failures.slice(0, 30)).toEqual([]);
  }, 600_000);
});
