// Compiles the coroutine workloads (bench/lowered/*.ts) once per candidate,
// into .tmp/bench/ (git-ignored). Run by bench/run.mjs before it spawns the
// workload processes (so TypeScript is never loaded into a measured process),
// and by bench/workloads/_variants.mjs when a workload file is run on its own
// and the output is missing or stale. Also runnable by hand:
//   node bench/workloads/_compile.mjs          # compile if stale, print one line
//   node bench/workloads/_compile.mjs --force  # compile anyway
//
// Every variant compiles the SAME source text with `ts.transpileModule`
// (module CommonJS):
//   runner   ES2020, no plugin: native generators driven by the runtime's runner
//   lowered  ES2020 + createTransformer() from dist/transformer: lowered bodies (begin(step) or new StateMachine)
//   tsgen    ES5 + downlevelIteration, no plugin: TypeScript's `__generator` helper
//   es5lowered ES5 + the plugin: what runs on duk / mujs next to tsgen
// and writes .tmp/bench/node/<variant>/<source>.js. For every source with an
// ES5-engine driver (bench/workloads/es5/<source>.js), it also writes
// .tmp/bench/es5/<source>.js: dist/gencoro.es5.js, bench/workloads/es5/_harness.js,
// then each ES5 variant of the module wrapped in its own function (so its
// "use strict" applies) with a tiny require shim, then the driver.
//
// Each output is checked here (and again when it is loaded): the lowered
// variants must contain one lowered body (`begin(step` or `new StateMachine(`) per `coroutine(function*` of the
// source and no `function*`; tsgen at least one `__generator(` per coroutine
// and no `function*`; runner one `function*` per coroutine and no `StateMachine`.
// The check failing is an error, never a skipped candidate.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const sourceDir = join(root, 'bench', 'lowered');
export const es5DriverDir = join(here, 'es5');
export const outDir = join(root, '.tmp', 'bench');
const manifestPath = join(outDir, 'manifest.json');
const require = createRequire(import.meta.url);

/** The variants compiled for Node, in table order. */
export const NODE_VARIANTS = ['runner', 'lowered', 'tsgen'];
/** The variants bundled for the ES5 engines (candidate names there get the engine as prefix). */
export const ES5_VARIANTS = ['es5lowered', 'tsgen'];

const SETTINGS = {
  runner: { target: 'ES2020', plugin: false },
  lowered: { target: 'ES2020', plugin: true },
  tsgen: { target: 'ES5', plugin: false },
  es5lowered: { target: 'ES5', plugin: true },
};

export function sources() {
  return readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

export function nodeOutput(variant, source) {
  return join(outDir, 'node', variant, source + '.js');
}

export function es5Bundle(source) {
  return join(outDir, 'es5', source + '.js');
}

/** How many coroutines the source defines (`coroutine(function*`). */
export function coroutineCount(tsText) {
  return (tsText.match(/\bcoroutine\(\s*function\s*\*/g) || []).length;
}

/**
 * Throws unless `js` (the `variant` compile of a source with `expected`
 * coroutines) has the shape that variant must have.
 */
export function checkOutput(variant, js, expected, label) {
  const count = (re) => (js.match(re) || []).length;
  const stars = count(/\bfunction\s*\*/g);
  // A lowered body makes its machine with `new StateMachine(step)` (one step closure per call)
  // or `begin(step, ...)` (a step shared by every call).
  const machines = count(/\bnew\s+[\w$]+\.(Region)?StateMachine\(/g) + count(/\b[\w$]+\.begin\(/g);
  const helpers = count(/\b__generator\(this,/g);
  const problems = [];
  if (expected === 0) problems.push('the source has no `coroutine(function*` at all');
  if (variant === 'lowered' || variant === 'es5lowered') {
    if (stars !== 0) problems.push(`${stars} \`function*\` left (the plugin did not lower everything)`);
    if (machines !== expected) problems.push(`${machines} \`new StateMachine(\`/\`begin(\` for ${expected} coroutines`);
    if (helpers !== 0) problems.push('contains `__generator(`');
  } else if (variant === 'tsgen') {
    if (stars !== 0) problems.push(`${stars} \`function*\` left`);
    // TypeScript adds one more `__generator` per loop body whose bindings a closure captures
    // (the loop body becomes a generator delegated to with `yield*`), so at least one per coroutine.
    if (helpers < expected) problems.push(`${helpers} \`__generator(\` for ${expected} coroutines`);
    if (machines !== 0) problems.push('contains a StateMachine (the plugin ran?)');
  } else if (variant === 'runner') {
    if (stars !== expected) problems.push(`${stars} \`function*\` for ${expected} coroutines`);
    if (machines !== 0 || helpers !== 0) problems.push('is not native generators');
  }
  if (problems.length > 0) throw new Error(`${label}: the ${variant} compile is wrong: ${problems.join('; ')}`);
}

/** A hash of everything the outputs depend on; the manifest stores it. */
export function inputsHash() {
  const h = createHash('sha256');
  const add = (file) => { h.update(relative(root, file)); h.update('\0'); h.update(readFileSync(file)); h.update('\0'); };
  for (const s of sources()) add(join(sourceDir, s + '.ts'));
  const transformerDir = join(root, 'dist', 'transformer');
  if (!existsSync(transformerDir)) throw new Error('dist/transformer is missing: run `npm run build` first');
  for (const f of readdirSync(transformerDir).filter((f) => f.endsWith('.js')).sort()) add(join(transformerDir, f));
  add(join(root, 'dist', 'gencoro.es5.js'));
  add(fileURLToPath(import.meta.url));
  if (existsSync(es5DriverDir)) {
    for (const f of readdirSync(es5DriverDir).filter((f) => f.endsWith('.js')).sort()) add(join(es5DriverDir, f));
  }
  h.update(require('typescript/package.json').version);
  return h.digest('hex');
}

export function isFresh() {
  if (!existsSync(manifestPath)) return false;
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8')).hash === inputsHash();
  } catch {
    return false;
  }
}

/** Compiles every source with every variant; returns { files, ms }. */
export async function compileAll() {
  const t0 = Date.now();
  const ts = require('typescript');
  const { createTransformer } = require(join(root, 'dist', 'transformer', 'index.js'));
  if (typeof createTransformer !== 'function') throw new Error('dist/transformer/index.js has no createTransformer (is a build running?)');
  const hash = inputsHash();
  const written = [];
  const write = (file, text) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(relative(root, file));
  };

  for (const source of sources()) {
    const tsPath = join(sourceDir, source + '.ts');
    const tsText = readFileSync(tsPath, 'utf8');
    const expected = coroutineCount(tsText);
    const compiled = {};
    for (const [variant, s] of Object.entries(SETTINGS)) {
      const compilerOptions = {
        target: ts.ScriptTarget[s.target],
        module: ts.ModuleKind.CommonJS,
        downlevelIteration: true,
        strict: true,
        removeComments: false,
        newLine: ts.NewLineKind.LineFeed,
      };
      // TypeScript 6 deprecates target ES5 (7 removes it); it is needed here on purpose.
      if (s.target === 'ES5' && Number(ts.versionMajorMinor.split('.')[0]) >= 6) compilerOptions.ignoreDeprecations = '6.0';
      const out = ts.transpileModule(tsText, {
        fileName: tsPath,
        compilerOptions,
        reportDiagnostics: true,
        transformers: s.plugin ? { before: [createTransformer()] } : undefined,
      });
      const errors = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) {
        throw new Error(`${source}.ts (${variant}): ` + errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
      }
      checkOutput(variant, out.outputText, expected, `bench/lowered/${source}.ts`);
      compiled[variant] = out.outputText;
      if (NODE_VARIANTS.includes(variant)) write(nodeOutput(variant, source), out.outputText);
    }
    const driver = join(es5DriverDir, source + '.js');
    if (existsSync(driver)) write(es5Bundle(source), makeEs5Bundle(source, compiled, readFileSync(driver, 'utf8')));
  }

  writeFileSync(manifestPath, JSON.stringify({ hash, typescript: ts.version, files: written }, null, 2) + '\n');
  return { files: written, ms: Date.now() - t0, typescript: ts.version };
}

/**
 * One ES5 script: the runtime (global `gencoro`), the ES5 harness, each ES5
 * variant of the module as `MODULES.<variant>` (wrapped in a function so its
 * "use strict" prologue applies; `require('gencoro')` gives the global), then
 * the driver. The compiled text of each variant is also kept as a string
 * so the driver can re-check it on the engine.
 */
function makeEs5Bundle(source, compiled, driverText) {
  const runtime = readFileSync(join(root, 'dist', 'gencoro.es5.js'), 'utf8');
  const harness = readFileSync(join(es5DriverDir, '_harness.js'), 'utf8');
  let text = runtime + '\n;\n// ---- bench/workloads/es5/_harness.js ----\n' + harness +
    '\n;\n// ---- bench: the compiled variants of bench/lowered/' + source + '.ts ----\n' +
    'var MODULES = {};\nvar MODULE_TEXT = {};\n';
  for (const variant of ES5_VARIANTS) {
    const js = compiled[variant];
    if (/^\s*\/\/# sourceMappingURL/m.test(js)) throw new Error('unexpected source map comment');
    text += `MODULE_TEXT[${JSON.stringify(variant)}] = ${JSON.stringify(js)};\n` +
      `MODULES[${JSON.stringify(variant)}] = (function () {\n` +
      '  var module = { exports: {} };\n' +
      '  var require = function (name) { if (name === "gencoro") return gencoro; throw new Error("bench shim: cannot require " + name); };\n' +
      '  (function (exports, require, module) {\n' + js + '\n  })(module.exports, require, module);\n' +
      '  return module.exports;\n})();\n';
  }
  return text + '\n// ---- bench/workloads/es5/' + source + '.js ----\n' + driverText;
}

// Run directly: compile if stale (or with --force), print one line.
if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const force = process.argv.includes('--force');
  try {
    if (!force && isFresh()) {
      console.log(`bench: compiled workloads in ${relative(root, outDir)} are up to date`);
    } else {
      const r = await compileAll();
      console.log(`bench: compiled ${sources().length} coroutine sources x ${Object.keys(SETTINGS).length} variants ` +
        `(typescript ${r.typescript}) into ${relative(root, outDir)} in ${(r.ms / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    process.stderr.write(`bench: compiling bench/lowered failed: ${e && e.stack || e}\n`);
    process.exit(1);
  }
}
