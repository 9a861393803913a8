import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countNewEvents } from '../../src/modules/quality/index.js';
import { fromRoot } from '../../src/lib/paths.js';
import { loginAs, startTestApp, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure } from '../helpers/dossiers.js';
import { loadReferenceData } from '../../seeds/load-reference.js';

/**
 * The public page in a real browser: Debian's Chromium (package `chromium`; .ci/run installs it) driven by
 * playwright-core, loading the page from the service on a real port, on a phone-sized screen.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fromRoot('tests/artifacts');

const clock = TestClock.atLocal('2024-06-03T08:00:00');
let ctx: TestContext;
let browser: Browser;
let base = '';
let dossier: { code: string; phoneLast4: string };

beforeAll(async () => {
  ctx = await startTestApp({ now: clock.now });
  const desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: '502' });
  const procedure = await pickProcedure(ctx, sql`level = 'district' and time_unit = 'working_day' and time_amount = 10 and cutoff_hour is null and jsonb_array_length(documents) > 0`);
  const body = intakeBody(procedure, 'H502');
  const received = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: body, headers: desk });
  expect(received.statusCode, received.body).toBe(201);
  dossier = { code: received.json().dossierCode, phoneLast4: body.applicant.phone.slice(-4) };
  clock.setLocal('2024-06-05T09:00:00');
  await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossier.code}/handoffs`, payload: { toRole: 'specialist' }, headers: desk });
  const agencyCode = (await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossier.code}`, headers: desk })).json().authorityAgencyCode as string;
  const head = await loginAs(ctx, 'agency_head', { kind: 'agency', code: agencyCode }); // the deciding agency's head signs
  const done = await ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossier.code}/completion`, payload: {}, headers: head });
  expect(done.statusCode, done.body).toBe(200);
  await countNewEvents(ctx.deps);
  clock.setLocal('2024-07-02T08:00:00');
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // This machine's network is closed: no background connections, no sandbox (runs as root in CI).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

// The first load scores the quarter's closed months for every unit and agency (stored for the loads after).
describe('public page', { timeout: 90_000 }, () => {
  it('shows the index, the monthly chart, the ranking and a working dossier lookup on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${base}/?period=2024-Q2&unit=502`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

    await expect(page.title()).resolves.toContain('Chỉ số phục vụ người dân');
    const unitName = (await ctx.deps.db.execute<{ name: string }>(sql`select name from units where code = '502'`)).rows[0]!.name;
    expect(await page.textContent('#scope-name')).toBe(unitName);
    expect(await page.textContent('#score-meta')).toContain('1 hồ sơ tiếp nhận');
    const total = Number((await page.textContent('#total'))!.replace(',', '.'));
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(100);
    expect(await page.locator('#groups .group').count()).toBe(5);
    await page.click('details summary');
    expect(await page.locator('#indicators tbody tr').count()).toBe(20);
    expect(await page.locator('#indicators tbody tr.untracked').first().textContent()).toContain('Chưa theo dõi');
    // The chart: one bar per month of the quarter, June's with the dossier.
    expect(await page.locator('#chart svg rect').count()).toBe(3);
    expect(await page.locator('#chart svg rect.bar-point').count()).toBe(1);
    // The ranking of the 18 districts; the commune tab lists the communes.
    expect(await page.locator('#ranking tbody tr').count()).toBe(18);
    await page.click('[data-rank="commune"]');
    expect(await page.locator('#ranking tbody tr').count()).toBe(241);
    await page.click('[data-rank="district"]');
    // Nothing wider than the phone's screen.
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);

    // The lookup: a wrong phone ending is refused, the right one shows the dossier.
    await page.fill('#lookup-code', dossier.code);
    await page.fill('#lookup-phone', dossier.phoneLast4 === '0000' ? '1111' : '0000');
    await page.click('#lookup button[type="submit"]');
    await expect(page.locator('#lookup-result .error').textContent()).resolves.toContain('Không tìm thấy hồ sơ');
    await page.fill('#lookup-phone', dossier.phoneLast4);
    await page.click('#lookup button[type="submit"]');
    await page.waitForSelector('#lookup-result dl');
    const shown = await page.textContent('#lookup-result dl');
    expect(shown).toContain(dossier.code);
    expect(shown).toContain('N***** V** A*'); // the applicant's name masked

    // Choosing a district from the ranking shows its index.
    const second = page.locator('#ranking tbody tr a').nth(1);
    const secondName = await second.textContent();
    await second.click();
    await expect.poll(() => page.textContent('#scope-name')).toBe(secondName);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#ranking tbody tr a', { hasText: unitName }).first().click();
    await expect.poll(() => page.textContent('#scope-name')).toBe(unitName);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${ARTIFACTS}/public-page.png`, fullPage: true });
    expect(failures).toEqual([]);
  });

  it('loads its data with cache headers, and a second load revalidates it: conditional requests answered 304', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const seen: { url: string; status: number; request: Record<string, string>; response: Record<string, string> }[] = [];
    page.on('response', async (r) => {
      if (!new URL(r.url()).pathname.startsWith('/api/v1/quality-index')) return;
      seen.push({ url: r.url(), status: r.status(), request: await r.request().allHeaders(), response: await r.allHeaders() });
    });
    await page.goto(`${base}/?period=2024-Q2&unit=502`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(4); // two rankings, the index and its series
    const first = seen.splice(0);
    for (const r of first) {
      expect(r.status, r.url).toBe(200);
      expect(r.response.etag, r.url).toBeTruthy();
      expect(r.response['last-modified'], r.url).toBeTruthy();
      expect(r.response['cache-control'], r.url).toMatch(/^public, max-age=\d+$/);
    }
    const total = await page.textContent('#total');

    // What the server answered, by status class, for the index's routes (its own latency metric counts them).
    const answered = async (status: string) =>
      (await ctx.deps.metrics.httpDuration.get()).values
        .filter((v) => v.metricName?.endsWith('_count') && String(v.labels.route).startsWith('/api/v1/quality-index') && v.labels.status === status)
        .reduce((n, v) => n + v.value, 0);
    const before = { ok: await answered('2xx'), notModified: await answered('3xx') };
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(first.length);
    for (const r of seen) expect(r.request['if-none-match'], r.url).toBe(first.find((f) => f.url === r.url)?.response.etag);
    expect(await answered('3xx')).toBe(before.notModified + seen.length);
    expect(await answered('2xx')).toBe(before.ok);
    // The page shows the same figures from its cache.
    expect(await page.textContent('#total')).toBe(total);
  });

  it('offers the units and levels in force in the period: the city and its commune-level units after 2025-07-01, the province, districts and communes before', async () => {
    await loadReferenceData(ctx.deps.db, { organisationUpTo: '2026-12-01' });
    ctx.deps.reference.invalidate();
    clock.setLocal('2026-12-01T08:00:00');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    const open = async (period: string) => {
      await page.goto(`${base}/?period=${period}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    };
    const options = () => page.locator('#scope option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));

    // 2026-Q1: the city (48) first and shown, its 94 commune-level units; no district tab, the commune one chosen.
    await open('2026-Q1');
    expect(await page.inputValue('#scope')).toBe('48');
    expect(await page.textContent('#scope-name')).toBe('Thành phố Đà Nẵng');
    const after = await options();
    expect(after).toHaveLength(95);
    expect(after).not.toContain('49');
    expect(await page.locator('[data-rank="district"]').isHidden()).toBe(true);
    expect(await page.getAttribute('[data-rank="commune"]', 'aria-selected')).toBe('true');
    expect(await page.locator('#ranking tbody tr').count()).toBe(94);

    // 2025: the city, the new units with their predecessors' history, the old districts as area views.
    await open('2025');
    expect(await page.textContent('#score-meta')).toContain('gồm số liệu của các đơn vị trước 01/07/2025');
    // Its chart: twelve months, those before July its predecessors' (marked).
    expect(await page.locator('#chart svg rect').count()).toBe(12);
    expect(await page.locator('#chart svg rect.bar-predecessors').count()).toBe(6);
    expect(await page.textContent('#chart')).toContain('Tháng 06/2025');
    await page.selectOption('#scope', '20194');
    await expect.poll(() => page.textContent('#score-meta')).toContain('Xã Hòa Liên (20296): split between');
    expect(await page.locator('[data-rank="district"]').isHidden()).toBe(false);

    // 2024-Q2: the province (49), its districts and communes, the district tab back.
    await open('2024-Q2');
    expect(await page.inputValue('#scope')).toBe('49');
    const before = await options();
    expect(before).toContain('502');
    expect(before).not.toContain('48');
    await page.click('[data-rank="district"]');
    expect(await page.locator('#ranking tbody tr').count()).toBe(18);
    expect(failures).toEqual([]);
  }, 240_000);
});
