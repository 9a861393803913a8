/**
 * Register benchmark (prints figures; not a test): a desk's dossier register (Sổ theo dõi hồ sơ) at its bound, read
 * as JSON and CSV through the HTTP layer from a copy of the simulated history (the busiest desk, T49, a month of
 * 2023: about 9,000 dossiers), as PDF up to 2023-05-09 (about 1,800: the PDF's bound is 2,000), and a year that passes the
 * 10,000-dossier bound (refused). Usage, on a clone of motcua_sim_base:
 *   createdb -h 127.0.0.1 -U postgres -T motcua_sim_base motcua_bench_register
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_register npm run bench:register [-- --desk T49 --from 2023-05-01 --to 2023-05-31]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildDeps, closeDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { createAccount } from '../../src/modules/auth/index.js';

const { values } = parseArgs({
  options: { desk: { type: 'string', default: 'T49' }, from: { type: 'string', default: '2023-05-01' }, to: { type: 'string', default: '2023-05-31' }, 'pdf-to': { type: 'string', default: '2023-05-09' } },
});
const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOAD_REFERENCE_DATA: 'false' });
const deps = await buildDeps(config, { logger: createLogger('warn') });
const app = await buildApp(deps);
await app.ready();
try {
  const username = `bench-register-${Date.now()}`;
  await createAccount(deps.db, { username, fullName: 'Bench', password: 'a-long-bench-password', roles: [{ role: 'auditor', scopeKind: 'unit', scopeCode: config.PROVINCE_CODE }] });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'a-long-bench-password' } });
  const headers = { authorization: `Bearer ${login.json().accessToken as string}` };
  const url = (to: string) => `/api/v1/dossier-register?desk=${values.desk}&from=${values.from}&to=${to}`;
  for (const format of ['json', 'csv', 'json', 'pdf']) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: `${url(format === 'pdf' ? values['pdf-to'] : values.to)}&format=${format}`, headers });
    const ms = performance.now() - t;
    const pdfRows = async () => (await app.inject({ method: 'GET', url: url(values['pdf-to']), headers })).json().count as number;
    const rows = format === 'json' && res.statusCode === 200 ? ` ${res.json().count} dossiers,` : format === 'pdf' ? ` ${await pdfRows()} dossiers to ${values['pdf-to']},` : '';
    console.log(`${format}: ${res.statusCode},${rows} ${(res.rawPayload.length / 1024).toFixed(0)} KiB in ${ms.toFixed(0)} ms; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  }
  const t = performance.now();
  const year = await app.inject({ method: 'GET', url: `/api/v1/dossier-register?desk=${values.desk}&from=2023-01-01&to=2023-12-31`, headers });
  console.log(`a year (over the bound): ${year.statusCode} in ${(performance.now() - t).toFixed(0)} ms: ${year.json().error?.message ?? ''}`);
  console.log(`loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
} finally {
  await app.close();
  await closeDeps(deps);
}
