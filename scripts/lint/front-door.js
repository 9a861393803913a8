import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleMap } from './module-map.js';

/**
 * ESLint rule: a module under src/modules/<name>/ is used from outside only through its front door,
 * src/modules/<name>/index.ts, and by another module only where the module map allows it (module-map.js;
 * docs/architecture.md, "Modules and their front doors"). Inside a module any file may import any other of the
 * same module; the composition root (src/app.ts, src/deps.ts, src/jobs) and scripts, seeds, tests and benchmarks
 * may use any module's front door.
 */
const modulesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/modules');

const moduleOf = (file) => {
  const rel = relative(modulesDir, file);
  if (rel.startsWith('..') || rel === '') return null;
  return rel.split(sep)[0];
};

export const frontDoor = {
  meta: {
    type: 'problem',
    docs: { description: "Import another module only through its index.ts" },
    messages: {
      notAllowed: "Module '{{own}}' may not use module '{{module}}': the module map (scripts/lint/module-map.js, docs/architecture.md) does not allow it.",
      inner: "'{{spec}}' is inside module '{{module}}': import it from the module's front door ('{{door}}') and export it there if others need it.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const own = moduleOf(file);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec);
      const mod = moduleOf(target);
      if (!mod || mod === own) return;
      if (own && !(moduleMap[own] ?? []).includes(mod)) {
        context.report({ node, messageId: 'notAllowed', data: { own, module: mod } });
        return;
      }
      const inModule = relative(resolve(modulesDir, mod), target);
      if (/^index(\.[cm]?[jt]s)?$/.test(inModule)) return;
      const door = relative(dirname(file), resolve(modulesDir, mod, 'index.js'));
      context.report({ node, messageId: 'inner', data: { spec, module: mod, door: door.startsWith('.') ? door : `./${door}` } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'front-door': frontDoor } };
