import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { localDateOf } from '../../lib/local-date.js';
import { formulaOfPeriod } from './compute-index.js';
import { formulaFor } from './formulas.js';
import { parsePeriod } from './period.js';
import { ScoreStore } from './scores.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Scores closed periods before a reader asks for them (a worker's job, with the SLA sweep), so that the API process
 * finds them stored and valid instead of computing every unit and agency of a year (seconds) while readers wait:
 * every stored period that a later counting made stale (a late event: a backdated intake, at most
 * INTAKE_BACKDATE_MAX_HOURS after the period's end; or a counter rebuild), under the formula it was stored for;
 * and the last month that ended, with its quarter and year when they ended with it, under the formula in force at
 * their end (what the public reads ask for, compute-index.ts). A period still valid costs one query. The periods
 * are computed one after another (ScoreStore), each from one snapshot of the counters.
 */
export async function storeClosedPeriods(deps: Deps, now: Date) {
  const today = localDateOf(now);
  const store = new ScoreStore(deps);
  const stale = (
    await deps.db.execute<{ period: string; formula_version: string }>(sql`
      select p.period, p.formula_version from quality_score_periods p
      where p.period_to < ${today}
        and p.source_seq < (select coalesce(max(c.change_seq), 0) from quality_counter_changes c where c.month between p.period_from and p.period_to)
      order by p.period_to desc, p.period`)
  ).rows;
  const stored: { period: string; formulaVersion: string; computedAt: string }[] = [];
  for (const s of stale) {
    const period = parsePeriod(s.period);
    const done = await store.ensure(period, await formulaFor(deps, period.to, s.formula_version));
    stored.push({ period: done.period, formulaVersion: done.formulaVersion, computedAt: done.computedAt.toISOString() });
  }
  const [y, m] = today.split('-').map(Number) as [number, number];
  const [year, month] = m === 1 ? [y - 1, 12] : [y, m - 1];
  const ended = [`${year}-${pad(month)}`, ...(month % 3 === 0 ? [`${year}-Q${month / 3}`] : []), ...(month === 12 ? [String(year)] : [])];
  for (const label of ended) {
    const period = parsePeriod(label);
    const done = await store.ensure(period, await formulaOfPeriod(deps, period));
    if (!stored.some((x) => x.period === done.period && x.formulaVersion === done.formulaVersion)) {
      stored.push({ period: done.period, formulaVersion: done.formulaVersion, computedAt: done.computedAt.toISOString() });
    }
  }
  return { periods: stored };
}
