/** Writes openapi/openapi.json from the routes (npm run openapi). A test fails when the committed file is stale. */
import { writeFileSync } from 'node:fs';
import { fromRoot } from '../src/lib/paths.js';
import { renderOpenApi } from './openapi-document.js';

writeFileSync(fromRoot('openapi', 'openapi.json'), await renderOpenApi());
process.stdout.write('wrote openapi/openapi.json\n');
process.exit(0);
