// The lowering fixtures (fixtures/lowering/*.ts, see its README.md): small
// coroutine programs, each with the exact output it must print.
//
// CLI:
//   node scripts/fixtures.mjs [--accept] [names...]
// compiles each named fixture (all of them by default) with plain TypeScript
// (target ES2020, module commonjs, no plugin), runs it on Node and compares
// its stdout with <name>.expected.txt. --accept writes the .expected.txt from
// the actual output instead (only for runs that exited cleanly with nothing on
// stderr). Exit status 0 when every fixture passed.
//
// Library (for the lowered and ES5 modes):
//   listFixtures()                                 every fixture name, sorted
//   readFixture(name)                              { name, file, source, expected, engines }
//   compileFixture(name, { target, transformers, compilerOptions })
//                                                  -> { js, diagnostics }
//   compileFixtures(names, options)                the same for several, sharing one Program
//   runOnNode(js, name?)                           -> Promise<{ status, signal, stdout, stderr, error }>
//   checkOutput(name, stdout)                      -> null when it matches, else a short diff text
// The package must be built first (`npm run build`): the fixtures' types come
// from dist/cjs/index.d.ts and `require('gencoro')` from the package's exports.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { normalise, runProcess } from './run-process.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturesDir = join(root, 'fixtures/lowering');
export const tsconfigPath = join(fixturesDir, 'tsconfig.json');

/** Ms one fixture run may take before it is killed (each needs well under a second). */
const RUN_TIMEOUT_MS = 30_000;

/** Every fixture name (a `.ts` file in fixtures/lowering without the extension), sorted. */
export function listFixtures() {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export function fixturePath(name) {
  return join(fixturesDir, name + '.ts');
}

export function expectedPath(name) {
  return join(fixturesDir, name + '.expected.txt');
}

/**
 * A fixture's source, its expected output (null if there is no .expected.txt
 * yet) and the engines it runs on: `['node', 'duk', 'mujs']` unless its first
 * line is a `// @engines: a, b` comment.
 */
export function readFixture(name) {
  const file = fixturePath(name);
  if (!existsSync(file)) throw new Error('no such fixture: ' + name + ' (' + file + ')');
  const source = readFileSync(file, 'utf8');
  const first = source.split('\n', 1)[0];
  const m = /^\/\/\s*@engines:\s*(.+)$/.exec(first.trim());
  const engines = m ? m[1].split(/[\s,]+/).filter(Boolean) : ['node', 'duk', 'mujs'];
  const exp = expectedPath(name);
  const expected = existsSync(exp) ? normalise(readFileSync(exp, 'utf8')) : null;
  return { name, file, source, expected, engines };
}

/** The compiler options of fixtures/lowering/tsconfig.json, ready to emit. */
function baseOptions() {
  const read = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (read.error) throw new Error(formatDiagnostics([read.error]));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, fixturesDir, { noEmit: false }, tsconfigPath);
  if (parsed.errors.length > 0) throw new Error(formatDiagnostics(parsed.errors));
  return parsed.options;
}

function parseTarget(target) {
  if (target === undefined) return ts.ScriptTarget.ES2020;
  if (typeof target === 'number') return target;
  const key = Object.keys(ts.ScriptTarget).find((k) => k.toLowerCase() === String(target).toLowerCase());
  if (key === undefined) throw new Error('unknown target ' + target);
  return ts.ScriptTarget[key];
}

/**
 * Compiles several fixtures with one TypeScript Program.
 * options:
 *   target           'ES2020' (default), 'ES5', ... or a ts.ScriptTarget
 *   transformers     ts.CustomTransformers ({ before, after, ... }), or a
 *                    function (program) => ts.CustomTransformers (for plugins
 *                    that need the Program or its type checker)
 *   compilerOptions  extra options over the tsconfig's (e.g. downlevelIteration)
 * Returns a Map name -> { js, diagnostics } where diagnostics is formatted text
 * ('' when there are none): type errors and emit errors of that file.
 */
export function compileFixtures(names, { target, transformers, compilerOptions } = {}) {
  if (!existsSync(join(root, 'dist/cjs/index.d.ts'))) {
    throw new Error('dist/cjs/index.d.ts is missing: run `npm run build` first');
  }
  const options = { ...baseOptions(), ...compilerOptions, target: parseTarget(target), noEmit: false };
  // TypeScript 6 deprecates target ES5 (7 removes it); the ES5 mode needs it on purpose.
  if (options.target === ts.ScriptTarget.ES5 && Number(ts.versionMajorMinor.split('.')[0]) >= 6) {
    options.ignoreDeprecations = '6.0';
  }
  const files = names.map(fixturePath);
  for (const f of files) if (!existsSync(f)) throw new Error('no such fixture file: ' + f);
  const program = ts.createProgram({ rootNames: files, options });
  const custom = typeof transformers === 'function' ? transformers(program) : transformers;
  const out = new Map();
  const globalDiagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  names.forEach((name, i) => {
    const sourceFile = program.getSourceFile(files[i]);
    const diagnostics = [...globalDiagnostics, ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile)];
    let js;
    const emitted = program.emit(sourceFile, function (fileName, text) {
      if (fileName.endsWith('.js')) js = text;
    }, undefined, false, custom);
    diagnostics.push(...emitted.diagnostics);
    if (js === undefined) {
      throw new Error('TypeScript emitted no JavaScript for ' + files[i] + '\n' + formatDiagnostics(diagnostics));
    }
    out.set(name, { js, diagnostics: formatDiagnostics(diagnostics) });
  });
  return out;
}

/** Compiles one fixture; see compileFixtures for the options. Returns { js, diagnostics }. */
export function compileFixture(name, options = {}) {
  return compileFixtures([name], options).get(name);
}

/** TypeScript's diagnostics as text (empty when there are none). */
export function formatDiagnostics(diagnostics) {
  if (diagnostics.length === 0) return '';
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  });
}

// The child process evaluates the CommonJS module text (read from stdin) as a
// module of this package: `require` is made from the package's own
// package.json, so `require('gencoro')` is the package self-reference (its
// "exports" -> dist/cjs/index.js) and 'gencoro/es5' etc. work the same way.
const NODE_RUNNER = [
  "const { createRequire } = require('node:module');",
  "const { runInThisContext } = require('node:vm');",
  "const root = process.argv[1];",
  "const name = process.argv[2] || 'fixture';",
  "let text = '';",
  "process.stdin.setEncoding('utf8');",
  "process.stdin.on('data', (d) => { text += d; });",
  "process.stdin.on('end', () => {",
  "  const filename = require('node:path').join(root, 'fixtures/lowering', name + '.js');",
  "  const req = createRequire(require('node:path').join(root, 'package.json'));",
  "  const module = { exports: {} };",
  "  const fn = runInThisContext('(function (exports, require, module, __filename, __dirname) {' + text + '\\n})', { filename });",
  "  fn.call(module.exports, module.exports, req, module, filename, require('node:path').dirname(filename));",
  "});",
].join('\n');

/**
 * Runs `js` (CommonJS module text) on this Node in a child process, as a
 * module of the package (see NODE_RUNNER); `name` only names the file in
 * stack traces. Resolves (never rejects) with the exit status (null if
 * killed), signal, stdout and stderr with line endings normalised, and
 * `error` (a spawn failure or timeout) if any.
 */
export function runOnNode(js, name = 'fixture') {
  return runProcess(process.execPath, ['-e', NODE_RUNNER, root, name], { timeoutMs: RUN_TIMEOUT_MS, input: js });
}

/** null when `stdout` is exactly the fixture's expected output, else a short description of the first difference. */
export function checkOutput(name, stdout) {
  const { expected } = readFixture(name);
  if (expected === null) return 'no ' + name + '.expected.txt (run with --accept to create it)';
  if (stdout === expected) return null;
  const a = expected.split('\n');
  const b = normalise(stdout).split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return 'first difference at line ' + (i + 1) + ':\n  expected: ' + JSON.stringify(a[i]) +
    '\n  actual:   ' + JSON.stringify(b[i]) + '\n  (expected ' + a.length + ' lines, got ' + b.length + ')';
}

/** Runs `fn` over `items` with at most `limit` at a time; resolves with the results in order. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function main(argv) {
  const accept = argv.includes('--accept');
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--accept');
  if (unknown.length > 0) {
    console.error('usage: node scripts/fixtures.mjs [--accept] [names...]');
    return 2;
  }
  const all = listFixtures();
  const requested = argv.filter((a) => !a.startsWith('--')).map((a) => a.replace(/\.(ts|expected\.txt)$/, '').replace(/^.*\//, ''));
  for (const n of requested) {
    if (!all.includes(n)) {
      console.error('no such fixture: ' + n);
      return 2;
    }
  }
  const names = requested.length > 0 ? requested : all;
  const compiled = compileFixtures(names, { target: 'ES2020' });
  let failed = 0;
  const results = await mapLimit(names, 8, (name) => runOnNode(compiled.get(name).js, name));
  names.forEach((name, i) => {
    const { diagnostics } = compiled.get(name);
    const run = results[i];
    const problems = [];
    if (diagnostics !== '') problems.push('type errors:\n' + diagnostics.trimEnd());
    if (run.error) problems.push('run error: ' + run.error);
    if (run.status !== 0) problems.push('exit status ' + run.status + (run.signal ? ' (' + run.signal + ')' : ''));
    if (run.stderr !== '') problems.push('stderr:\n' + run.stderr.trimEnd());
    if (accept) {
      if (problems.length === 0) {
        writeFileSync(expectedPath(name), run.stdout);
        console.log('accepted ' + name + ' (' + run.stdout.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').length + ' lines)');
        return;
      }
    } else {
      const diff = checkOutput(name, run.stdout);
      if (diff !== null) problems.push(diff);
    }
    if (problems.length === 0) {
      console.log('ok   ' + name);
    } else {
      failed++;
      console.log('FAIL ' + name + '\n  ' + problems.join('\n').replace(/\n/g, '\n  '));
    }
  });
  console.log((names.length - failed) + '/' + names.length + ' fixtures ' + (accept ? 'accepted' : 'passed') + ' on Node (unlowered, ES2020)');
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exitCode = 2;
  });
}
