/**
 * gencoro-es5 (bin/gencoro-es5.cjs), the way docs/es5.md tells a user to ship
 * a project to an engine with no module system, and the host main loop of
 * examples/c-host:
 * - examples/crawler, built with tspc at target ES5 and bundled by the command,
 *   is ES5 and prints on Node, duk and mujs what its unbundled build prints on Node;
 * - examples/c-host (three modules) bundled with `--expose app` and driven by
 *   the tick protocol prints the same from a JavaScript driver on Node, duk and
 *   mujs, and from the real C host (host.c, compiled against Duktape) where a
 *   C compiler and duktape.h are installed;
 * - the CommonJS semantics of the wrapper (cycles, JSON, index.js, this,
 *   module.exports, externals) and its errors, on small hand-written modules.
 * A missing engine, compiler or header skips its test (saying so in the title)
 * unless CI is set, where it fails instead.
 */
import test from 'ava';
import { parse } from 'acorn';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { onPath } from './helpers/path.js';

const root = join(__dirname, '..');
const bin = join(root, 'bin/gencoro-es5.cjs');
const { bundle } = require('../bin/gencoro-es5.cjs') as {
  bundle(options: {
    entry: string; runtime?: boolean; expose?: string; externals?: Record<string, string>; es5Check?: boolean;
  }): { code: string; modules: string[] };
};
const run = promisify(execFile);
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/** Under the package root, so that `require('gencoro')` of an unbundled build resolves to this package. */
mkdirSync(join(root, '.tmp'), { recursive: true });
const work = mkdtempSync(join(root, '.tmp/gencoro-es5-test-'));
test.after.always(() => rmSync(work, { recursive: true, force: true }));

/** A plain Node: no loaders or flags inherited from ava (which runs under tsx). */
const env = { ...process.env };
delete env.NODE_OPTIONS;


/** Parses as an ES5 script, or throws with the place. */
function assertEs5(code: string): void {
  parse(code, { ecmaVersion: 5, sourceType: 'script' });
}

function tspc(project: string, outDir: string): Promise<unknown> {
  return run(process.execPath, [join(root, 'node_modules/ts-patch/bin/tspc.js'), '-p', join(root, project), '--outDir', outDir],
    { cwd: root, env });
}

function gencoroEs5(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8' });
}

/**
 * Runs a script file: on Node as a classic script through vm in an ES module
 * (no `module`/`exports` in scope, like an engine without modules), else with
 * the engine's command line. Rejects on a non-zero exit.
 */
async function runScript(engine: string, file: string): Promise<string> {
  const args = engine === 'node'
    ? ['--input-type=module', '-e',
      "import { readFileSync } from 'node:fs'; import { runInThisContext } from 'node:vm';" +
      "runInThisContext(readFileSync(process.argv[1], 'utf8'), { filename: process.argv[1] });", file]
    : [file];
  const { stdout, stderr } = await run(engine === 'node' ? process.execPath : engine, args,
    { env, encoding: 'utf8', timeout: 60_000 });
  if (stderr !== '') throw new Error(engine + ' wrote to stderr:\n' + stderr);
  return stdout.replace(/\r\n?/g, '\n');
}

/** Declares a test that needs `engine` on PATH: skipped without it, failed without it under CI. */
function engineTest(title: string, engine: string, body: (t: import('ava').ExecutionContext) => Promise<void>): void {
  const installed = engine === 'node' || onPath(engine) !== null;
  if (!installed && !inCI) {
    test.skip(title + ' (skipped: `' + engine + '` is not on PATH; Debian package ' +
      (engine === 'duk' ? 'duktape' : engine) + '; with CI set this fails instead)', () => {});
    return;
  }
  test(title, async (t) => {
    if (!installed) {
      t.fail('`' + engine + '` is not on PATH but CI is set (.ci/run installs it)');
      return;
    }
    await body(t);
  });
}

// ---------------------------------------------------------------------------
// examples/crawler: one module

const crawler = (async () => {
  const out = join(work, 'crawler');
  await tspc('examples/crawler/tsconfig.es5.json', out);
  const file = join(work, 'crawler.js');
  const { stderr } = await gencoroEs5([join(out, 'main.js'), '-o', file]);
  // The reference: the same ES5 CommonJS build, unbundled, on Node (require('gencoro') from node_modules).
  const reference = execFileSync(process.execPath, [join(out, 'main.js')], { env, encoding: 'utf8' });
  return { file, stderr, reference };
})();

test('gencoro-es5 makes examples/crawler (tspc, target ES5) one ES5 file', async (t) => {
  const { file, stderr, reference } = await crawler;
  t.regex(stderr, /^gencoro-es5: wrote .*crawler\.js \(1 module, \d+ KB\)\n$/);
  const code = readFileSync(file, 'utf8');
  t.notThrows(() => assertEs5(code));
  t.notRegex(code.slice(code.indexOf('definitions["main.js"]')), /function\s*\*/, 'the crawler is lowered');
  t.regex(reference, /5 pages arrived in time\ndone at virtual t=2175\n$/);
});

for (const engine of ['node', 'duk', 'mujs']) {
  engineTest('the bundled crawler prints on ' + engine + ' what its unbundled build prints on Node', engine, async (t) => {
    const { file, reference } = await crawler;
    t.is(await runScript(engine, file), reference);
  });
}

// ---------------------------------------------------------------------------
// examples/c-host: three modules, driven by a host's main loop

const input = readFileSync(join(root, 'examples/c-host/input.txt'), 'utf8');
const inputLines = input.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');

/**
 * The host of examples/c-host/host.c played in JavaScript: app.tick() on every
 * turn; each line of input, then null, delivered between ticks (as host.c does
 * when its input is ready at once); the returned wait spent busy-waiting
 * (these engines cannot sleep); the end when tick() says -1 and no input is left.
 */
const JS_HOST = [
  '(function (input) {',
  '  var next = 0, ticks = 0;',
  '  for (;;) {',
  '    var wait = app.tick();',
  '    ticks++;',
  '    if (next <= input.length) { app.deliver(next < input.length ? input[next] : null); next++; continue; }',
  '    if (wait < 0) break;',
  '    for (var until = new Date().getTime() + wait; new Date().getTime() < until;) {}',
  '  }',
  '  console.log("status " + app.status());',
  '})(' + JSON.stringify(inputLines) + ');',
  '',
].join('\n');

const cHost = (async () => {
  const out = join(work, 'c-host');
  await tspc('examples/c-host/tsconfig.json', out);
  const app = join(work, 'app.js');
  const { stderr } = await gencoroEs5([join(out, 'main.js'), '--expose', 'app', '-o', app]);
  const driven = join(work, 'app-driven.js');
  writeFileSync(driven, readFileSync(app, 'utf8') + JS_HOST);
  return { app, driven, stderr, reference: runScript('node', driven) };
})();

test('gencoro-es5 bundles the three modules of examples/c-host, and Node runs them through the tick protocol', async (t) => {
  const { app, stderr, reference } = await cHost;
  t.regex(stderr, /\(3 modules, \d+ KB\)/);
  t.notThrows(() => assertEs5(readFileSync(app, 'utf8')));
  t.is(await reference, [
    'hello from the host',
    'finished job 2 (10 ms)',
    'finished job 3 (20 ms)',
    'finished job 1 (30 ms)',
    '50 ms of work timed out after 20 ms',
    '10 ms of work fit in 50 ms',
    'slept 15 ms',
    'error: unknown command: frobnicate',
    'bye',
    'end of input, 1 command(s) failed',
    'status 0',
    '',
  ].join('\n'));
});

for (const engine of ['duk', 'mujs']) {
  engineTest('a JavaScript host driving examples/c-host by tick() prints the same on ' + engine, engine, async (t) => {
    const { driven, reference } = await cHost;
    t.is(await runScript(engine, driven), await reference);
  });
}

const cc = onPath('cc');
const duktapeHeader = ['/usr/include/duktape.h', '/usr/local/include/duktape.h'].find((f) => existsSync(f));
const cTitle = 'the C host (examples/c-host/host.c, Duktape embedded) drives the bundle and prints the same';
if ((cc === null || duktapeHeader === undefined) && !inCI) {
  test.skip(cTitle + ' (skipped: ' + (cc === null ? 'no C compiler `cc`' : 'no duktape.h') +
    '; Debian packages gcc and duktape-dev; with CI set this fails instead)', () => {});
} else {
  test(cTitle, async (t) => {
    if (cc === null || duktapeHeader === undefined) {
      t.fail((cc === null ? 'no C compiler `cc`' : 'no duktape.h') + ' but CI is set (.ci/run installs duktape-dev)');
      return;
    }
    const { app, reference } = await cHost;
    const host = join(work, 'host');
    await run(cc, ['-std=c99', '-D_POSIX_C_SOURCE=200809L', '-Wall', '-Wextra', '-Werror', '-o', host,
      join(root, 'examples/c-host/host.c'), '-lduktape', '-lm'], { env });
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = execFile(host, [app], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(String(error.message) + '\n' + stderr));
        else resolve({ stdout, stderr });
      });
      child.stdin!.end(input);
    });
    t.is(stdout + 'status 0\n', await reference);
    t.regex(stderr, /^host: \d+ ticks, program status 0\n$/);
  });
}

// ---------------------------------------------------------------------------
// The wrapper's CommonJS semantics and its errors, on hand-written ES5 modules

/** Writes `files` (name -> text) into a fresh directory and returns its path. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(work, 'modules-'));
  for (const name of Object.keys(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), files[name]!);
  }
  return dir;
}

/** Runs a bundle made without the runtime in a fresh context; returns what it logged and its globals. */
function runBundle(code: string, globals: Record<string, unknown> = {}): { logged: string[]; context: Record<string, unknown> } {
  const logged: string[] = [];
  // console: undefined, as in an embedding with no console (V8 gives every context one): the bundle makes it from print.
  const context: Record<string, unknown> = {
    console: undefined, print: (...args: unknown[]) => logged.push(args.join(' ')), ...globals,
  };
  runInNewContext(code, context);
  return { logged, context };
}

test('modules see CommonJS: cycles, module.exports, this, JSON, index.js, __filename and __dirname', (t) => {
  const dir = project({
    'main.js': [
      '"use strict";',
      'var a = require("./a");',
      'var lib = require("./lib");',
      'var data = require("./data.json");',
      'console.log(a.name, a.partnerSawA, a.viaThis, lib.hello(), data.list.join(","), data.odd === "\\u2028");',
      'console.log(__filename, JSON.stringify(__dirname), require("./lib/index.js") === lib);',
      'exports.answer = 42;',
    ].join('\n'),
    'a.js': 'exports.name = "a"; var b = require("./b"); exports.partnerSawA = b.sawA; this.viaThis = true;',
    'b.js': 'var a = require("./a"); exports.sawA = a.name; exports.aLoaded = false;',
    'lib/index.js': 'module.exports = { hello: function () { return "hi from " + __filename + " in " + __dirname; } };',
    'data.json': JSON.stringify({ list: [1, 2], odd: '\u2028' }),
  });
  const result = bundle({ entry: join(dir, 'main.js'), runtime: false, expose: 'app' });
  t.deepEqual(result.modules.map((f) => f.slice(dir.length + 1)), ['main.js', 'a.js', 'lib/index.js', 'data.json', 'b.js']);
  t.notThrows(() => assertEs5(result.code));
  const { logged, context } = runBundle(result.code);
  // What Node prints for the same files (its __filename and __dirname made relative to main.js's
  // directory): a cycle sees the partial exports, `this` is `exports`.
  t.deepEqual(logged, ['a a true hi from lib/index.js in lib 1,2 true', 'main.js "" true']);
  t.is((context.app as { answer: number }).answer, 42);
  t.is((context.console as { log: unknown }).log, context.print);
});

test('require("gencoro") is the global gencoro; --external maps other modules to globals', (t) => {
  const dir = project({
    'main.js': 'var g = require("gencoro"); var e = require("gencoro/es5"); var h = require("host-api");' +
      'console.log(g.tag, e === g, h.tag);',
  });
  const { code } = bundle({ entry: join(dir, 'main.js'), runtime: false, externals: { 'host-api': 'hostApi' } });
  t.deepEqual(runBundle(code, { gencoro: { tag: 'runtime' }, hostApi: { tag: 'host' } }).logged, ['runtime true host']);
  const error = t.throws(() => runBundle(code, { hostApi: {} }));
  t.regex(error!.message, /require\("gencoro"\) in main\.js: the global gencoro is not defined \(load gencoro\/es5 first\)/);
});

test('a require that was not bundled fails when it runs, naming the module', (t) => {
  const dir = project({ 'main.js': 'var name = "./" + "x"; try { require(name); } catch (e) { console.log(e.message); }' });
  const { code } = bundle({ entry: join(dir, 'main.js'), runtime: false });
  t.deepEqual(runBundle(code).logged, ['require("./x") in main.js: that module was not bundled']);
});

test('gencoro-es5 reports what it cannot bundle, with the place', (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'main.js': 'var x = 1;\nvar f = function () { return () => x; };' }, /^main\.js:2:30: an arrow function is not ES5; compile with "target": "ES5"/],
    [{ 'main.js': 'require("./lib");', 'lib.js': 'const x = 1;' }, /^lib\.js:1:1: let\/const is not ES5/],
    [{ 'main.js': 'var o = { f() {} };' }, /^main\.js:1:11: a method shorthand is not ES5/],
    [{ 'main.js': 'var r = /a/u;' }, /^main\.js:1:9: a regular expression flag other than g, i, m is not ES5/],
    [{ 'main.js': 'require("lodash");' }, /^main\.js: require\("lodash"\): only relative modules are bundled; give it a global with --external lodash=NAME$/],
    [{ 'main.js': 'require("tslib");' }, /\(or compile without importHelpers\)$/],
    [{ 'main.js': 'require("./missing");' }, /^main\.js: require\("\.\/missing"\): no such module$/],
    [{ 'main.js': 'var x = ;' }, /^main\.js:1:9: Expression expected\.$/],
  ];
  for (const [files, message] of cases) {
    const dir = project(files);
    t.throws(() => bundle({ entry: join(dir, 'main.js'), runtime: false }), { message }, JSON.stringify(files));
  }
  const dir = project({ 'main.js': 'const f = () => 1;' });
  t.notThrows(() => bundle({ entry: join(dir, 'main.js'), runtime: false, es5Check: false }));
});

test('the command exits 1 with one line on stderr for a bundling error, and prints its usage for --help', async (t) => {
  const dir = project({ 'main.js': 'require("./nope");' });
  const failed = await gencoroEs5([join(dir, 'main.js'), '-o', join(dir, 'out.js')]).then(() => null, (e) => e);
  t.is(failed?.code, 1);
  t.is(failed?.stderr, 'gencoro-es5: main.js: require("./nope"): no such module\n');
  t.false(existsSync(join(dir, 'out.js')));
  const help = await gencoroEs5(['--help']);
  t.regex(help.stdout, /^usage: gencoro-es5 <entry\.js> \[-o out\.js\]/);
});
