import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/lib/paths.js';
// @ts-expect-error: a plain JavaScript module of the lint rule, without types
import { moduleMap } from '../../scripts/lint/module-map.js';

/** The module map in docs/architecture.md is the one the lint rule keeps, and every module is on it. */
describe('the module map', () => {
  const documented = () => {
    const doc = readFileSync(fromRoot('docs/architecture.md'), 'utf8');
    const block = /<!-- module-map -->([\s\S]*?)<!-- \/module-map -->/.exec(doc)?.[1] ?? '';
    return Object.fromEntries(
      [...block.matchAll(/^- \*\*([a-z-]+)\*\* → (.*)$/gm)].map(([, name, uses]) => [name, uses === '(none)' ? [] : uses!.split(', ')]),
    );
  };

  it('in docs/architecture.md is the lint rule’s', () => {
    expect(documented()).toEqual(moduleMap);
  });

  it('lists every module under src/modules', () => {
    const modules = readdirSync(fromRoot('src/modules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(Object.keys(moduleMap).sort()).toEqual(modules.sort());
  });
});
