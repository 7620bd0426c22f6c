/**
 * The ES5 promise of the runtime, checked on the built output (run `npm run
 * build` first; `npm test` does):
 * - every file of dist/cjs and dist/gencoro.es5.js parses as ES5;
 * - only dist/cjs/internal/host.js touches host globals (Symbol, Promise,
 *   timers, console, ...) or requires anything but a relative path;
 * - fixtures/es5/program.ts, compiled by plain TypeScript to an ES5 script and
 *   appended to dist/gencoro.es5.js, prints fixtures/es5/program.expected.txt
 *   on Node, Duktape (`duk`) and MuJS (`mujs`). A missing engine fails the
 *   test when CI is set, and skips it (saying so in its title) otherwise.
 * The helpers that compile and run the program are shared with `npm run demo`
 * (scripts/es5.mjs).
 */
import test from 'ava';
import { parse, type Identifier, type Node } from 'acorn';
import * as walk from 'acorn-walk';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onPath } from './helpers/path.js';

const root = join(__dirname, '..');
const cjsDir = join(root, 'dist/cjs');
const umdFile = join(root, 'dist/gencoro.es5.js');

// ---------------------------------------------------------------------------
// 1. ES5 syntax

/** Every .js file under `dir`, as absolute paths, sorted. */
function jsFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsFilesUnder(full));
    else if (entry.isFile() && entry.name.endsWith('.js')) found.push(full);
  }
  return found.sort();
}

/** Parses `code` as an ES5 script; returns "name:line:column: message" or null when it is ES5. */
function es5SyntaxError(name: string, code: string): string | null {
  try {
    parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
    return null;
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const where = loc === undefined ? '?' : loc.line + ':' + (loc.column + 1);
    return name + ':' + where + ': ' + (e as Error).message;
  }
}

function display(file: string): string {
  return relative(root, file).split(sep).join('/');
}

function builtFiles(): string[] {
  if (!existsSync(cjsDir) || !existsSync(umdFile)) throw new Error('dist/ is not built: run `npm run build` first');
  return [...jsFilesUnder(cjsDir), umdFile];
}

test('every file of dist/cjs and dist/gencoro.es5.js parses as an ES5 script', (t) => {
  const files = builtFiles();
  const names = files.map(display);
  t.true(names.includes('dist/cjs/index.js'), names.join(', '));
  t.true(names.includes('dist/cjs/internal/host.js'), names.join(', '));
  t.true(files.length >= 20, 'only ' + files.length + ' files found');
  const errors: string[] = [];
  for (const file of files) {
    const error = es5SyntaxError(display(file), readFileSync(file, 'utf8'));
    if (error !== null) errors.push(error);
  }
  t.deepEqual(errors, []);
});

test('the ES5 syntax check names the file and position of ES2015 syntax', (t) => {
  t.is(es5SyntaxError('ok.js', 'var a = { b: 1, }; function f() { return this; }'), null);
  const arrow = es5SyntaxError('arrow.js', 'var a = 1;\nvar f = () => a;');
  t.truthy(arrow);
  t.regex(arrow!, /^arrow\.js:2:10: /);
  t.regex(es5SyntaxError('let.js', 'let x = 1;') ?? '', /^let\.js:1:\d+: /);
  t.regex(es5SyntaxError('gen.js', 'function* g() {}') ?? '', /^gen\.js:1:9: /);
});

// ---------------------------------------------------------------------------
// 2. Host globals

/** Host globals that only internal/host.js may reach. */
const HOST_GLOBALS = new Set([
  'Symbol', 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Reflect', 'Proxy', 'setTimeout', 'clearTimeout',
  'setImmediate', 'queueMicrotask', 'console', 'print', 'performance', 'process', 'Atomics', 'SharedArrayBuffer',
  'FinalizationRegistry', 'globalThis',
]);

/** The names a function (or the program) declares, and the scope around it. */
interface Scope {
  names: Set<string>;
  parent: Scope | null;
}

function isBound(scope: Scope | null, name: string): boolean {
  for (let s = scope; s !== null; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

/** Walks `node`'s own body (not nested functions) for hoisted `var` and function declarations. */
function hoisted(body: Node, names: Set<string>): void {
  const visitors: walk.RecursiveVisitors<null> = {
    Function(fn) {
      if (fn.type === 'FunctionDeclaration' && fn.id) names.add(fn.id.name);
    },
    VariableDeclarator(declarator, state, c) {
      if (declarator.id.type === 'Identifier') names.add(declarator.id.name);
      if (declarator.init) c(declarator.init, state);
    },
  };
  walk.recursive(body, null, visitors);
}

function functionScope(fn: Node, parent: Scope): Scope {
  const f = fn as unknown as { type: string; id?: Identifier | null; params: Node[]; body: Node };
  const names = new Set<string>(['arguments']);
  if (f.type === 'FunctionExpression' && f.id) names.add(f.id.name);
  for (const param of f.params) if (param.type === 'Identifier') names.add((param as Identifier).name);
  hoisted(f.body, names);
  return { names, parent };
}

function isRelativeRequire(call: Node): boolean {
  const c = call as unknown as { arguments: Array<{ type: string; value?: unknown }> };
  const arg = c.arguments[0];
  return c.arguments.length === 1 && arg.type === 'Literal' && typeof arg.value === 'string' &&
    (arg.value.startsWith('./') || arg.value.startsWith('../'));
}

/**
 * The free (unbound) references in an ES5 script to a host global, and every
 * `require` of anything but a relative path, as "line:column name".
 */
function hostGlobalUses(code: string): string[] {
  const ast = parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  const found: string[] = [];
  const check = (id: Identifier, scope: Scope): void => {
    if ((HOST_GLOBALS.has(id.name) || id.name === 'require') && !isBound(scope, id.name)) {
      found.push(id.loc!.start.line + ':' + (id.loc!.start.column + 1) + ' ' + id.name);
    }
  };
  const programScope: Scope = { names: new Set(), parent: null };
  hoisted(ast, programScope.names);
  // Identifiers in declaration and assignment positions reach "VariablePattern";
  // property names, labels and non-computed members are never visited.
  const visitors = {
    Function(fn: Node, scope: Scope, c: walk.WalkerCallback<Scope>) {
      walk.base.Function!(fn as never, functionScope(fn, scope), c);
    },
    CatchClause(clause: Node, scope: Scope, c: walk.WalkerCallback<Scope>) {
      const param = (clause as unknown as { param: Identifier | null }).param;
      const inner: Scope = { names: new Set(param ? [param.name] : []), parent: scope };
      walk.base.CatchClause!(clause as never, inner, c);
    },
    CallExpression(call: Node, scope: Scope, c: walk.WalkerCallback<Scope>) {
      const callee = (call as unknown as { callee: Node }).callee;
      if (callee.type === 'Identifier' && (callee as Identifier).name === 'require' && !isBound(scope, 'require') &&
          isRelativeRequire(call)) {
        return; // require('./x.js'): the only literal argument needs no visit
      }
      walk.base.CallExpression!(call as never, scope, c);
    },
    Identifier(id: Node, scope: Scope) { check(id as Identifier, scope); },
    VariablePattern(id: Node, scope: Scope) { check(id as Identifier, scope); },
  };
  walk.recursive(ast, programScope, visitors as unknown as walk.RecursiveVisitors<Scope>);
  return found;
}

test('no module of dist/cjs but internal/host.js uses a host global or a non-relative require', (t) => {
  const offenders: string[] = [];
  let hostUses: string[] = [];
  for (const file of jsFilesUnder(cjsDir)) {
    let uses: string[];
    try {
      uses = hostGlobalUses(readFileSync(file, 'utf8'));
    } catch (e) {
      offenders.push(display(file) + ': not ES5, so not checked: ' + (e as Error).message);
      continue;
    }
    if (display(file) === 'dist/cjs/internal/host.js') hostUses = uses;
    else for (const use of uses) offenders.push(display(file) + ':' + use);
  }
  t.deepEqual(offenders, []);
  // The walker does see host globals in the one file that may use them.
  const hostNames = new Set(hostUses.map((u) => u.split(' ')[1]));
  for (const name of ['Symbol', 'Promise', 'setTimeout', 'console', 'print', 'Atomics', 'FinalizationRegistry']) {
    t.true(hostNames.has(name), name + ' not seen in internal/host.js: ' + hostUses.join(', '));
  }
});

test('the host-global check flags new Map() and bare requires, not bound names, properties or relative requires', (t) => {
  t.deepEqual(hostGlobalUses('var m = new Map();'), ['1:13 Map']);
  t.deepEqual(hostGlobalUses('function f() {\n  return typeof Symbol === "function" && Promise;\n}'),
    ['2:17 Symbol', '2:42 Promise']);
  t.deepEqual(hostGlobalUses('var fs = require("fs"); var x = require(name);'), ['1:10 require', '1:33 require']);
  t.deepEqual(hostGlobalUses('globalThis.x = 1; console = null;'), ['1:1 globalThis', '1:19 console']);
  t.deepEqual(hostGlobalUses([
    'var a = require("./a.js"), b = require("../b.js");',
    'function f(Map) { return new Map(); }',
    'var g = function Promise() { return Promise; };',
    'function h() { var setTimeout = 1; return setTimeout + helper(); function helper() { return setTimeout; } }',
    'try {} catch (console) { console.log(1); }',
    'var o = { Symbol: 1, process: 2 }; o.Symbol = o.process; o.print(); Set: for (;;) break Set;',
    'var WeakMap; WeakMap = 3;',
  ].join('\n')), []);
  // A name bound in one function is still free in its sibling.
  t.deepEqual(hostGlobalUses('function f(Map) { return Map; }\nfunction g() { return Map; }'), ['2:23 Map']);
  // A catch parameter binds only inside its catch block.
  t.deepEqual(hostGlobalUses('try {} catch (Proxy) {}\nvar p = Proxy;'), ['2:9 Proxy']);
});

// ---------------------------------------------------------------------------
// 3. The program on Node, duk and mujs

interface EngineRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

/** What scripts/es5.mjs exports (an ES module, loaded with import()). */
interface Es5Helpers {
  compileProgram(): { js: string; diagnostics: string; typescript: string };
  makeBundle(programJs: string): string;
  writeBundle(dir: string, text: string): string;
  runOnEngine(engine: string, file: string, enginePath?: string | null): Promise<EngineRun>;
  readExpected(): string;
  lines(text: string): string[];
}

const helpers: Promise<Es5Helpers> = import(pathToFileURL(join(root, 'scripts/es5.mjs')).href);


interface Prepared {
  js: string;
  diagnostics: string;
  bundle: string;
  file: string;
}

let tempDir: string | null = null;
let prepared: Promise<Prepared> | null = null;

/** Compiles the program and writes the one-file bundle once for all the tests below. */
function prepare(): Promise<Prepared> {
  if (prepared === null) {
    prepared = helpers.then((h) => {
      const { js, diagnostics } = h.compileProgram();
      const bundle = h.makeBundle(js);
      tempDir = mkdtempSync(join(tmpdir(), 'gencoro-es5-'));
      return { js, diagnostics, bundle, file: h.writeBundle(tempDir, bundle) };
    });
  }
  return prepared;
}

test.after.always(() => {
  if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
});

test('the expected output file covers every section of the program', async (t) => {
  const h = await helpers;
  const expected = h.lines(h.readExpected());
  t.true(expected.length >= 80, 'only ' + expected.length + ' lines');
  t.is(expected[0], 'gencoro ES5 program');
  t.is(expected[expected.length - 1], '== end');
  const sections = expected.filter((l) => l.startsWith('== ')).map((l) => l.split(':')[0]);
  t.deepEqual(sections, [
    '== sleep', '== moment', '== multi over an array and an object', '== withTimeout', '== withTimeout',
    '== WaitIterator', '== Task', '== Callback and Wait', '== runSync', '== real clock, on the default loop', '== end',
  ]);
});

test('the program compiles to an ES5 script without diagnostics, generators or Symbol-only helpers', async (t) => {
  const { js, diagnostics, bundle } = await prepare();
  t.is(diagnostics, '');
  t.is(es5SyntaxError('program.js', js), null);
  t.is(es5SyntaxError('bundle.js', bundle), null);
  t.regex(js, /__generator/, 'generator functions are lowered by TypeScript\'s __generator helper');
  t.notRegex(js, /function\s*\*/);
  t.notRegex(js, /__values|__read|__spread/, 'these helpers need Symbol.iterator, which MuJS lacks');
  t.notRegex(js, /\brequire\(|\bexports\b/, 'the program is a plain script');
});

const DEBIAN: Record<string, string> = { duk: 'duktape', mujs: 'mujs' };

for (const engine of ['node', 'duk', 'mujs']) {
  const enginePath = engine === 'node' ? process.execPath : onPath(engine);
  const title = 'the program prints the expected output on ' + engine + ', line for line';
  if (enginePath === null && !process.env.CI) {
    test.skip(title + ' (skipped: `' + engine + '` is not on PATH; install the Debian package ' + DEBIAN[engine] +
      '; with CI set this fails instead)', () => {});
    continue;
  }
  test(title, async (t) => {
    if (enginePath === null) {
      t.fail('`' + engine + '` is not on PATH but CI is set: install the Debian package ' + DEBIAN[engine] +
        ' (.ci/run does)');
      return;
    }
    const h = await helpers;
    const { file } = await prepare();
    const run = await h.runOnEngine(engine, file, enginePath);
    const detail = engine + ' exited with ' + run.status + (run.signal ? ' (' + run.signal + ')' : '') +
      (run.error ? ', ' + run.error : '') + '; stderr:\n' + run.stderr;
    t.deepEqual(h.lines(run.stdout), h.lines(h.readExpected()), detail);
    t.is(run.stderr, '', detail);
    t.is(run.status, 0, detail);
  });
}
