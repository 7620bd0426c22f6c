// Builds the package into dist/:
//   dist/cjs/          the runtime's declarations (and tsc's per-file CommonJS); index.js
//                      loads dist/gencoro.es5.js                  -> "gencoro" (require)
//   dist/esm/          an ESM facade over dist/cjs (one copy of the runtime's state)
//   dist/gencoro.es5.js the runtime as one ES5 UMD file, global `gencoro` -> "gencoro/es5"
//   dist/gencoro.es5.d.ts its types (the runtime's, plus the global `gencoro`)
//   dist/transformer/  the ts-patch plugin (CommonJS)            -> "gencoro/transformer"
//                      (plugin.js: module.exports is the plugin function itself)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const run = (args) => execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });

// dist/ is overwritten in place (not deleted first), so tests running meanwhile never see it missing.
rmSync(join(root, 'build'), { recursive: true, force: true });

// 1. CommonJS runtime with declarations.
run(['-p', 'runtime/tsconfig.json']);

// 2. The same sources as ES modules (still ES5 syntax), only to feed rollup; without tsc's
// helpers, which the bundle gets once (scripts/es5-helpers.js) rather than once per module.
run(['-p', 'runtime/tsconfig.json', '--module', 'es2015', '--composite', 'false', '--declaration', 'false',
  '--noEmitHelpers', '--outDir', 'build/esm']);
const helpers = readFileSync(join(root, 'scripts/es5-helpers.js'), 'utf8');
const bundle = await rollup({ input: join(root, 'build/esm/index.js'), onwarn: failOnWarning, plugins: [checkHelpers(helpers)] });
await bundle.write({
  file: join(root, 'dist/gencoro.es5.js'),
  format: 'umd',
  name: 'gencoro',
  generatedCode: 'es5',
  banner: '/* gencoro runtime, ES5 build: defines the global `gencoro` (or module.exports). */',
  intro: helpers.replace(/^\/\/.*\n/gm, ''),
});
await bundle.close();

// 2b. `gencoro` for require() is that same one-file bundle: tsc's own index.js re-exports each
// name through a getter (46 of them), which leaves V8 a slow dictionary-mode exports object and
// costs lowered code a getter call per `__gencoro.begin(...)` (measured: ~11 ns per coroutine
// call); the bundle assigns plain properties, and its modules call each other directly. The
// per-file output of step 1 stays beside it for its declarations (and for tests of single files).
writeFileSync(join(root, 'dist/cjs/index.js'),
  '"use strict";\n' +
  '// gencoro (CommonJS): the one-file ES5 build, the same file as gencoro/es5 (see scripts/build.mjs).\n' +
  "module.exports = require('../gencoro.es5.js');\n");

// 3. The ESM facade: re-export every name of the CommonJS build.
const names = Object.keys(require(join(root, 'dist/cjs/index.js'))).filter((n) => n !== '__esModule');
mkdirSync(join(root, 'dist/esm'), { recursive: true });
writeFileSync(join(root, 'dist/esm/index.mjs'),
  '// ESM entry: re-exports the CommonJS build so Node loads one copy of the runtime.\n' +
  "import gencoro from '../cjs/index.js';\n" +
  names.map((n) => `export const ${n} = gencoro.${n};\n`).join(''));
writeFileSync(join(root, 'dist/esm/index.d.mts'), "export * from '../cjs/index.js';\n");

// 4. The ES5 bundle's types: the runtime's, and the global it defines where there is no module system.
writeFileSync(join(root, 'dist/gencoro.es5.d.ts'),
  '// gencoro/es5: the same API as `gencoro`; loaded as a plain script it defines the global `gencoro`.\n' +
  "export * from './cjs/index.js';\n" +
  'export as namespace gencoro;\n');

// 5. The transformer, and its package entry: a CommonJS module whose module.exports is the
// ts-patch plugin function itself, with the named exports of index.js as properties. So
// require(), an ESM default import (Node and bundlers alike) and ts-patch all get the plugin,
// and Node's ESM named-export detection sees the names (one `module.exports.name =` each).
run(['-p', 'transformer/tsconfig.json']);
const pluginNames = Object.keys(require(join(root, 'dist/transformer/index.js'))).filter((n) => n !== '__esModule' && n !== 'default');
writeFileSync(join(root, 'dist/transformer/plugin.js'),
  '"use strict";\n' +
  '// gencoro/transformer: module.exports is the ts-patch plugin (index.js\'s default export).\n' +
  'var index = require("./index.js");\n' +
  'module.exports = index.default;\n' +
  'module.exports.default = index.default;\n' +
  pluginNames.map((n) => `module.exports.${n} = index.${n};\n`).join(''));
writeFileSync(join(root, 'dist/transformer/plugin.d.ts'),
  '// gencoro/transformer: module.exports is the ts-patch plugin (index.js\'s default export),\n' +
  '// with the named exports of index.js as its properties.\n' +
  "import index = require('./index.js');\n" +
  'declare const plugin: typeof index.default & {\n' +
  '  default: typeof index.default;\n' +
  pluginNames.map((n) => `  ${n}: typeof index.${n};\n`).join('') +
  '};\n' +
  'declare namespace plugin {\n' +
  '  export type PluginExtras = index.PluginExtras;\n' +
  '  export type TransformerOptions = index.TransformerOptions;\n' +
  '}\n' +
  'export = plugin;\n');

function failOnWarning(warning) {
  if (warning.code === 'CIRCULAR_DEPENDENCY') return; // call-time only; see internal/current-loop.ts
  throw new Error(`rollup: ${warning.message}`);
}

/** Fails the bundle if tsc calls a helper (`__name(`) that scripts/es5-helpers.js does not define. */
function checkHelpers(helperText) {
  const defined = new Set([...helperText.matchAll(/^var (__\w+) =/gm)].map((m) => m[1]));
  return {
    name: 'gencoro-check-helpers',
    transform(code, id) {
      for (const m of code.matchAll(/(?<![\w$.])(__[a-zA-Z]\w*)\(/g)) {
        if (!defined.has(m[1])) this.error(`${id} calls tsc's helper ${m[1]}, which scripts/es5-helpers.js lacks`);
      }
      return null;
    },
  };
}
