import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../seeds/load-reference.js';
import { countNewEvents, rebuildCounters } from '../../src/modules/quality/index.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { fileRequests, jpeg, minimalPdf } from '../helpers/files.js';

// Monday 2026-09-07, after the two-level organisation (commune centres TX…) and formula 766-2025.1 came into force.
const clock = TestClock.atLocal('2026-09-07T08:00:00');
const COMMUNE = '20410';
const DESK = `TX${COMMUNE}`;
type Who = { authorization: string; username: string };

let ctx: TestContext;
let procedure: ProcedurePick;
let desk: Who;

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now, env: { FILE_LINK_TTL_SECONDS: '600' } });
  // What `npm start` does on that day: every organisation version in force by then.
  expect((await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-09-07' })).loaded).toBe(true);
  ctx.deps.reference.invalidate();
  procedure = await pickProcedure(
    ctx,
    sql`level = 'commune' and not location_independent and paper_result and jsonb_array_length(jsonb_path_query_array(documents, '$[*] ? (@.required == true)')) >= 2`,
  );
  desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: COMMUNE });
});
afterAll(async () => ctx?.close());

const { post, get, upload, receive } = fileRequests(() => ctx.app, (overrides) => intakeBody(procedure, DESK, overrides), () => desk);

const required = () => procedure.documents.filter((d) => d.required).map((d) => d.name);
const events = async (code: string, type: string) =>
  (
    await ctx.deps.pool.query(`select e.actor, e.data from dossier_events e join dossiers d on d.id = e.dossier_id where d.code = $1 and e.type = $2 order by e.id`, [code, type])
  ).rows as { actor: string; data: Record<string, unknown> }[];
const indicator = (body: { score: { groups: { indicators: { id: string }[] }[] } }, id: string) =>
  body.score.groups.flatMap((g) => g.indicators).find((i) => i.id === id) as Record<string, unknown>;
const counters = async () =>
  (await ctx.deps.pool.query(`select * from quality_counters order by day, desk_code, unit_code, agency_code, procedure_code, channel`)).rows.concat(
    (await ctx.deps.pool.query(`select * from quality_counters_monthly order by month, unit_code, agency_code, channel`)).rows,
  );

let paper: { code: string; agency: string; phone: string };
let other: { code: string; agency: string; phone: string };
let atDesk: { code: string; agency: string; phone: string };

describe('file acts are dossier events', () => {
  it('records digitisation, the result file and a re-use as events of the dossier, each marking the first that counts', async () => {
    const citizen = { kind: 'person', name: 'Lê Văn Cường', citizenId: '049090004444', phone: '0905444333', address: 'Hòa Vang, Đà Nẵng' };
    paper = await receive({ applicant: citizen, resultDelivery: { method: 'electronic' } });
    const [first, ...rest] = required();
    const scan = await upload(`/api/v1/dossiers/${paper.code}/files?document=${encodeURIComponent(first!)}&copy=original&source=digitised`, minimalPdf(1, 'cuong'), desk);
    expect(scan.statusCode, scan.body).toBe(201);
    expect((await post(`/api/v1/dossiers/${paper.code}/digitisation`, { document: first, fileId: scan.json().id }, desk)).statusCode).toBe(201);
    for (const name of rest) expect((await post(`/api/v1/dossiers/${paper.code}/digitisation`, { document: name, exemption: 'shown_only' }, desk)).statusCode).toBe(201);
    const digitised = await events(paper.code, 'digitisation_recorded');
    expect(digitised.map((e) => e.data.completes)).toEqual([false, ...rest.map((_, i) => i === rest.length - 1)]);
    expect(digitised[0]).toMatchObject({ actor: desk.username, data: { document: first, fileId: scan.json().id, exemption: null } });

    other = await receive({ applicant: { ...citizen, phone: '0905444222' } });
    const reused = await post(`/api/v1/dossiers/${other.code}/files/reuse`, { fileId: scan.json().id, document: first, copy: 'original' }, desk);
    expect(reused.statusCode, reused.body).toBe(201);
    expect(await events(other.code, 'file_reused')).toEqual([
      { actor: desk.username, data: { fileId: reused.json().id, reusedFrom: scan.json().id, fromDossier: paper.code, toDossier: other.code, first: true } },
    ]);

    const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: paper.agency });
    expect((await post(`/api/v1/dossiers/${paper.code}/handoffs`, { toAgencyCode: paper.agency, toRole: 'agency_head' }, desk)).statusCode).toBe(200);
    const r1 = await upload(`/api/v1/dossiers/${paper.code}/result-files`, minimalPdf(1, 'quyết định'), head);
    const r2 = await upload(`/api/v1/dossiers/${paper.code}/result-files`, jpeg('phụ lục'), head);
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    expect((await events(paper.code, 'result_file_attached')).map((e) => e.data)).toEqual([
      { fileId: r1.json().id, first: true },
      { fileId: r2.json().id, first: false },
    ]);
    expect((await post(`/api/v1/dossiers/${paper.code}/completion`, { resultReference: 'Số 12/QĐ-UBND' }, head)).statusCode).toBe(200);

    // A result delivered at the desk: its file is its electronic result too.
    atDesk = await receive();
    const itsHead = await loginAs(ctx, 'agency_head', { kind: 'agency', code: atDesk.agency });
    expect((await post(`/api/v1/dossiers/${atDesk.code}/handoffs`, { toAgencyCode: atDesk.agency, toRole: 'agency_head' }, desk)).statusCode).toBe(200);
    const r3 = await upload(`/api/v1/dossiers/${atDesk.code}/result-files`, minimalPdf(1, 'desk result'), itsHead);
    expect((await events(atDesk.code, 'result_file_attached')).map((e) => e.data)).toEqual([{ fileId: r3.json().id, first: true }]);
    expect((await post(`/api/v1/dossiers/${atDesk.code}/completion`, { resultReference: 'Số 13/QĐ-UBND' }, itsHead)).statusCode).toBe(200);
  });

  it('returns a result delivered electronically when the applicant downloads it through the lookup link, once', async () => {
    const links = await get(`/api/v1/public/dossiers/${paper.code}/result-files?phone=${paper.phone}`);
    expect(links.statusCode, links.body).toBe(200);
    expect((await get(`/api/v1/dossiers/${paper.code}`, desk)).json().status).toBe('processed');
    const [a, b] = links.json().files as { url: string }[];
    const downloads = await Promise.all([get(a!.url), get(a!.url), get(b!.url)]);
    expect(downloads.map((d) => d.statusCode)).toEqual([200, 200, 200]);
    const d = (await get(`/api/v1/dossiers/${paper.code}`, desk)).json();
    expect(d.status).toBe('returned');
    expect(await events(paper.code, 'return_result')).toEqual([{ actor: 'citizen', data: { method: 'electronic', note: 'Downloaded by the applicant through the lookup link' } }]);
    const slip = (await get(`/api/v1/dossiers/${paper.code}/control-slip`, desk)).json();
    expect(JSON.stringify(slip)).toContain('applicant');
    // Downloading again later changes nothing; the desk cannot return it a second time.
    expect((await get(a!.url)).statusCode).toBe(200);
    expect(await events(paper.code, 'return_result')).toHaveLength(1);
    expect((await post(`/api/v1/dossiers/${paper.code}/return`, { method: 'desk' }, desk)).statusCode).toBe(409);
    // A result delivered at the desk is offered no link and waits for the desk.
    expect((await get(`/api/v1/public/dossiers/${atDesk.code}/result-files?phone=${atDesk.phone}`)).json().files).toEqual([]);
    expect((await get(`/api/v1/dossiers/${atDesk.code}`, desk)).json().status).toBe('processed');
  });
});

describe('the index counts the file acts (formula 766-2025.1)', () => {
  it('measures 4.1, 4.2 and 4.3 from the events, where 766-2023.1 left 4.3 untracked, and a rebuild gives the same counters', async () => {
    await countNewEvents(ctx.deps);
    const now = (await get(`/api/v1/quality-index?unit=${COMMUNE}&period=2026-09`)).json();
    expect(now.score.formulaVersion).toBe('766-2025.1');
    // Received: paper, other and the desk-delivered one; resolved with a paper result: paper and the desk one.
    expect(indicator(now, '4.1')).toMatchObject({ status: 'scored', numerator: 2, denominator: 2 });
    expect(indicator(now, '4.2')).toMatchObject({ status: 'scored', numerator: 1, denominator: 3 });
    expect(indicator(now, '4.3')).toMatchObject({ status: 'scored', numerator: 1, denominator: 3 });
    expect(now.facts).toMatchObject({ digitisedRecorded: 1, resultFileAttached: 2, reusedData: 1 });
    const before = (await get(`/api/v1/quality-index?unit=${COMMUNE}&period=2026-09&version=766-2023.1`)).json();
    expect(indicator(before, '4.3')).toMatchObject({ status: 'untracked' });
    expect(now.score.scoredMaximum).toBe(before.score.scoredMaximum + 2);

    const items = (await get(`/api/v1/quality-index/4.3/items?unit=${COMMUNE}&period=2026-09&limit=50`, desk)).json();
    expect(Object.fromEntries(items.items.map((i: { code: string; counted: boolean }) => [i.code, i.counted]))).toMatchObject({ [paper.code]: false, [other.code]: true });
    const digitisedItems = (await get(`/api/v1/quality-index/4.2/items?unit=${COMMUNE}&period=2026-09&limit=50`, desk)).json();
    expect(digitisedItems.items.filter((i: { counted: boolean }) => i.counted).map((i: { code: string }) => i.code)).toEqual([paper.code]);

    const counted = await counters();
    await rebuildCounters(ctx.deps);
    expect(await counters()).toEqual(counted);
  });
});
