/** Loads the real 2025-01-01 restructuring of Quảng Nam as a later organisation version (idempotent). */
import { loadConfig } from '../src/config.js';
import { createDb, createPool } from '../src/db/client.js';
import { applyRestructuring } from '../seeds/org/apply-restructuring.js';
import { restructuring2025 } from '../seeds/org/units.js';

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  const result = await applyRestructuring(createDb(pool), restructuring2025);
  process.stdout.write(`restructuring ${restructuring2025.effectiveFrom}: ${result.closed} versions closed, ${result.opened} opened\n`);
} finally {
  await pool.end();
}
