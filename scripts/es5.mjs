// The ES5 engines program, shared by test/es5.test.ts and scripts/demo.mjs:
//   compileProgram()        fixtures/es5/program.ts -> ES5 script (plain TypeScript, no plugin)
//   makeBundle(js)          dist/gencoro.es5.js + that script, as one file's text
//   writeBundle(dir, text)  writes it as <dir>/program.js
//   findEngine(name)        the path of `duk` / `mujs` on PATH, or null
//   runOnEngine(name, file) runs the file on node, duk or mujs: { status, signal, stdout, stderr, error }
// The package must be built first (`npm run build`): the program's types come
// from dist/cjs/index.d.ts and its runtime from dist/gencoro.es5.js.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { formatDiagnostics } from './fixtures.mjs';
import { onPath } from './on-path.cjs';
import { normalise, runProcess } from './run-process.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const programPath = join(root, 'fixtures/es5/program.ts');
export const tsconfigPath = join(root, 'fixtures/es5/tsconfig.json');
export const expectedPath = join(root, 'fixtures/es5/program.expected.txt');
export const runtimeBundlePath = join(root, 'dist/gencoro.es5.js');

/** The engines the program runs on, in the order they are reported. */
export const engines = ['node', 'duk', 'mujs'];

/** The Debian package that provides each ES5 engine. */
export const debianPackage = { duk: 'duktape', mujs: 'mujs' };

/** Ms one engine run may take before it is killed (the program itself needs well under a second). */
const RUN_TIMEOUT_MS = 60_000;

/**
 * Compiles fixtures/es5/program.ts with the options of fixtures/es5/tsconfig.json
 * (target ES5, no module system) through a TypeScript Program, so type errors
 * are reported too. Returns the emitted script and the diagnostics as text
 * (empty when there are none).
 */
export function compileProgram() {
  if (!existsSync(join(root, 'dist/cjs/index.d.ts'))) {
    throw new Error('dist/cjs/index.d.ts is missing: run `npm run build` first');
  }
  const read = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (read.error) throw new Error(formatDiagnostics([read.error]));
  const overrides = { noEmit: false };
  // TypeScript 6 deprecates target ES5 (7 removes it); the program needs it on purpose.
  if (Number(ts.versionMajorMinor.split('.')[0]) >= 6) overrides.ignoreDeprecations = '6.0';
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfigPath), overrides, tsconfigPath);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    configFileParsingDiagnostics: parsed.errors,
  });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  let js;
  const emitted = program.emit(program.getSourceFile(programPath), function (fileName, text) {
    if (fileName.endsWith('.js')) js = text;
  });
  diagnostics.push(...emitted.diagnostics);
  if (js === undefined) throw new Error('TypeScript emitted no JavaScript for ' + programPath + '\n' + formatDiagnostics(diagnostics));
  return { js, diagnostics: formatDiagnostics(diagnostics), typescript: ts.version };
}


/**
 * One script: the runtime's UMD bundle (which defines the global `gencoro`
 * when there is no module system) followed by the compiled program. The
 * program's own "use strict" prologue is not at the start of the file, so it
 * is inert: the program runs the same (sloppy) way on every engine.
 */
export function makeBundle(programJs) {
  if (!existsSync(runtimeBundlePath)) throw new Error('dist/gencoro.es5.js is missing: run `npm run build` first');
  return readFileSync(runtimeBundlePath, 'utf8') + '\n;\n// ---- fixtures/es5/program.ts, compiled to ES5 ----\n' + programJs;
}

/** Writes the bundle as `<dir>/program.js` and returns that path. */
export function writeBundle(dir, text) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'program.js');
  writeFileSync(file, text);
  return file;
}

/** The executable `name` on PATH, or null. `node` is always this Node. */
export function findEngine(name) {
  return name === 'node' ? process.execPath : onPath(name);
}

// On Node the bundle runs through vm.runInThisContext in an ES module (so there
// is no `module`/`exports` in scope and the UMD takes its global path), in a
// child process, so gencoro's default loop is the host-woken one.
const NODE_RUNNER =
  "import { readFileSync } from 'node:fs'; import { runInThisContext } from 'node:vm';" +
  "const file = process.argv[1]; runInThisContext(readFileSync(file, 'utf8'), { filename: file });";

/**
 * Runs `file` on `engine` ('node', 'duk' or 'mujs'). Resolves (never rejects)
 * with the exit status (null if killed), signal, stdout and stderr with
 * line endings normalised, and `error` (a spawn failure or timeout) if any.
 */
export function runOnEngine(engine, file, enginePath = findEngine(engine)) {
  if (enginePath === null) return Promise.resolve({ status: null, signal: null, stdout: '', stderr: '', error: engine + ' is not installed' });
  const args = engine === 'node' ? ['--input-type=module', '-e', NODE_RUNNER, file] : [file];
  return runProcess(enginePath, args, { timeoutMs: RUN_TIMEOUT_MS });
}

/** The expected output: the checked-in fixtures/es5/program.expected.txt. */
export function readExpected() {
  return normalise(readFileSync(expectedPath, 'utf8'));
}

/** Output split into lines, without the empty string after the final newline. */
export function lines(text) {
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}
