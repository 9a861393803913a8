import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/lib/paths.js';
import { renderOpenApi } from '../../scripts/openapi-document.js';

describe('OpenAPI document', () => {
  it('openapi/openapi.json is what the routes declare (run `npm run openapi` when this fails)', async () => {
    const committed = readFileSync(fromRoot('openapi/openapi.json'), 'utf8');
    expect(JSON.parse(await renderOpenApi())).toEqual(JSON.parse(committed));
  });

  it('documents every public path', async () => {
    const doc = JSON.parse(await renderOpenApi());
    for (const path of ['/api/v1/procedures', '/api/v1/procedures/{code}', '/api/v1/units', '/api/v1/desks', '/api/v1/agencies', '/health/ready', '/api/v1/calendar/due-date']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
