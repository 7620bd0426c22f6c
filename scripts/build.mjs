// Builds the package into dist/:
//   dist/cjs/          the runtime as CommonJS (ES5) with .d.ts   -> "gencoro" (require)
//   dist/esm/          an ESM facade over dist/cjs (one copy of the runtime's state)
//   dist/gencoro.es5.js the runtime as one ES5 UMD file, global `gencoro` -> "gencoro/es5"
//   dist/transformer/  the ts-patch plugin (CommonJS)            -> "gencoro/transformer"
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

// 2. The same sources as ES modules (still ES5 syntax), only to feed rollup.
run(['-p', 'runtime/tsconfig.json', '--module', 'es2015', '--composite', 'false', '--declaration', 'false', '--outDir', 'build/esm']);
const bundle = await rollup({ input: join(root, 'build/esm/index.js'), onwarn: failOnWarning });
await bundle.write({
  file: join(root, 'dist/gencoro.es5.js'),
  format: 'umd',
  name: 'gencoro',
  generatedCode: 'es5',
  banner: '/* gencoro runtime, ES5 build: defines the global `gencoro` (or module.exports). */',
});
await bundle.close();

// 3. The ESM facade: re-export every name of the CommonJS build.
const names = Object.keys(require(join(root, 'dist/cjs/index.js'))).filter((n) => n !== '__esModule');
mkdirSync(join(root, 'dist/esm'), { recursive: true });
writeFileSync(join(root, 'dist/esm/index.mjs'),
  '// ESM entry: re-exports the CommonJS build so Node loads one copy of the runtime.\n' +
  "import gencoro from '../cjs/index.js';\n" +
  names.map((n) => `export const ${n} = gencoro.${n};\n`).join(''));
writeFileSync(join(root, 'dist/esm/index.d.mts'), "export * from '../cjs/index.js';\n");

// 4. The transformer.
run(['-p', 'transformer/tsconfig.json']);

function failOnWarning(warning) {
  if (warning.code === 'CIRCULAR_DEPENDENCY') return; // call-time only; see internal/current-loop.ts
  if (warning.code === 'THIS_IS_UNDEFINED') return; // tsc's ES5 helpers probe `this && this.__extends`
  throw new Error(`rollup: ${warning.message}`);
}
