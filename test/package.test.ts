/**
 * The package as a stranger gets it: `npm pack` of the built package, the
 * tarball installed (offline) into a fresh project outside this repository,
 * and there:
 * - `publint` and `@arethetypeswrong/cli` report nothing (scripts/check-package.mjs);
 * - a coroutine program built with `tspc` and `{ "transform": "gencoro/transformer" }`
 *   runs on Node with its coroutines lowered, and the same program built at
 *   ES5 runs with `gencoro/es5` as a plain script (the global `gencoro`);
 * - Node's ESM loader finds the names the types promise;
 * - the exported types check under moduleResolution node10, node16 and bundler.
 *
 * The project lives under os.tmpdir(), not in the repository, so nothing can
 * resolve through this repository's node_modules (where `gencoro` links to the
 * working tree). typescript and ts-patch are linked from this repository's
 * node_modules (`file:` dependencies), so no network is needed.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as vm from 'node:vm';
import { count, functionState, repoRoot } from './helpers/compile';

const run = promisify(execFile);
let project = '';

/** The environment for child processes: none of npm's own settings of the `npm test` that runs us. */
const env: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
const npmCli = process.env.npm_execpath;
const npm = (args: string[], cwd: string) => npmCli !== undefined && /\.[cm]?js$/.test(npmCli)
  ? run(process.execPath, [npmCli, ...args], { cwd, env, encoding: 'utf8' })
  : run('npm', args, { cwd, env, encoding: 'utf8' });
const node = (args: string[]) => run(process.execPath, args, { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
const tsc = (config: string) => node([join(project, 'node_modules/typescript/bin/tsc'), '-p', config]);
const tspc = (config: string) => node([join(project, 'node_modules/ts-patch/bin/tspc.js'), '-p', config]);

function write(name: string, text: string): void {
  mkdirSync(dirname(join(project, name)), { recursive: true });
  writeFileSync(join(project, name), text);
}

let tarball = '';

test.before(async () => {
  project = mkdtempSync(join(tmpdir(), 'gencoro-package-'));
  const packDir = join(project, 'pack');
  mkdirSync(packDir);
  const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], repoRoot);
  tarball = join(packDir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  write('package.json', JSON.stringify({
    name: 'gencoro-consumer', version: '1.0.0', private: true,
    dependencies: {
      gencoro: 'file:' + tarball,
      typescript: 'file:' + join(repoRoot, 'node_modules/typescript'),
      'ts-patch': 'file:' + join(repoRoot, 'node_modules/ts-patch'),
    },
  }, null, 2));
  await npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
});

test.after.always(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

test('publint and attw report nothing for the packed tarball', async (t) => {
  const r = await node([join(repoRoot, 'scripts/check-package.mjs'), tarball]).catch((e: { stdout: string; stderr: string }) => e);
  t.regex(r.stdout, /publint and attw report nothing/, r.stdout + r.stderr);
});

const program = `import { coroutine, multi, sleep, withTimeout, wait, IOLoop, TimeoutError } from 'gencoro';

/** An ordinary generator: not a coroutine, so the plugin leaves it alone. */
function* countdown(n: number) {
  'tag-countdown';
  while (n > 0) yield n--;
}

const fetchPage = coroutine(function* (name: string, ms: number) {
  'tag-fetch';
  yield sleep(ms);
  if (name === 'broken') throw new Error('cannot fetch ' + name);
  return name.toUpperCase();
});

/** @coroutine */
function* main() {
  'tag-main';
  const pages: string[] = yield multi([fetchPage('a', 20), fetchPage('b', 10)]);
  let slow = 'arrived';
  try {
    yield withTimeout(30, fetchPage('slow', 1000));
  } catch (e) {
    slow = e instanceof TimeoutError ? 'timed out' : 'failed';
  }
  let broken = '';
  try {
    yield fetchPage('broken', 1);
  } catch (e) {
    broken = (e as Error).message;
  }
  const typed = yield* wait(fetchPage('c', 1));
  const counted: number[] = [];
  for (const n of countdown(3)) counted.push(n);
  return [pages.join('+'), slow, broken, typed.toLowerCase(), counted.join('')].join('; ');
}

const loop = new IOLoop({ clock: 'virtual' });
loop.makeCurrent();
console.log(loop.runSync(coroutine(main)));
`;
const expected = 'A+B; timed out; cannot fetch broken; c; 321';

test('a program built with tspc and the plugin runs on Node lowered, and at ES5 with gencoro/es5 as a script', async (t) => {
  write('src/main.ts', program);
  write('tsconfig.json', JSON.stringify({
    compilerOptions: {
      target: 'ES2020', module: 'commonjs', strict: true, rootDir: 'src', outDir: 'out', types: [],
      plugins: [{ transform: 'gencoro/transformer' }],
    },
    include: ['src'],
  }, null, 2));
  write('tsconfig.es5.json', JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { target: 'ES5', lib: ['es2018', 'dom'], downlevelIteration: true, outDir: 'out-es5' },
  }, null, 2));
  await Promise.all([tspc('tsconfig.json'), tspc('tsconfig.es5.json')]);

  const out = readFileSync(join(project, 'out/main.js'), 'utf8');
  t.is(functionState(out, 'tag-fetch'), 'lowered');
  t.is(functionState(out, 'tag-main'), 'lowered');
  t.is(functionState(out, 'tag-countdown'), 'generator');
  t.is(count(out, 'function*'), 1, 'only the ordinary generator is left');
  t.is((await node(['out/main.js'])).stdout.trim(), expected);

  // gencoro/es5 from the installed package, run as a plain script in a context with no
  // module system and no timers, then the ES5 program with `require('gencoro')` mapped to the global.
  // (resolved as from the project: from here, `gencoro` would be this repository itself)
  const es5Path = createRequire(join(project, 'package.json')).resolve('gencoro/es5');
  t.true(es5Path.startsWith(project), es5Path);
  const printed: string[] = [];
  const context = vm.createContext({ console: { log: (s: unknown) => printed.push(String(s)) } });
  vm.runInContext(readFileSync(es5Path, 'utf8'), context, { filename: es5Path });
  t.is(vm.runInContext('typeof gencoro.coroutine', context), 'function');
  const es5 = readFileSync(join(project, 'out-es5/main.js'), 'utf8');
  t.is(count(es5, /return new __gencoro(_\d+)?\.(Region)?StateMachine\(|\.begin\([\w$]+, [01]\)/), 2, 'both coroutines are lowered at ES5 too');
  vm.runInContext('(function (exports, require) {\n' + es5 + '\n})({}, function (name) { if (name === "gencoro") return gencoro; throw new Error(name); });', context);
  t.deepEqual(printed, [expected]);
});

test('Node loads every entry point from CommonJS and ESM with the names its types declare', async (t) => {
  write('load.mjs', `import { coroutine, IOLoop } from 'gencoro';
import * as es5 from 'gencoro/es5';
import es5Default from 'gencoro/es5';
import plugin, { createTransformer } from 'gencoro/transformer';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cjs = require('gencoro');
const cjsPlugin = require('gencoro/transformer');
const add = es5.coroutine(function () { return 41 + 1; });
console.log([
  typeof coroutine, typeof IOLoop, typeof es5Default.coroutine, es5.IOLoop.current().runSync(add),
  typeof plugin, plugin === cjsPlugin, plugin.default === plugin, createTransformer === cjsPlugin.createTransformer,
  // gencoro (require and import) and gencoro/es5 load one file: one copy of the runtime's state.
  cjs.coroutine === coroutine, es5.coroutine === coroutine,
].join(' '));
`);
  t.is((await node(['load.mjs'])).stdout.trim(), 'function function function 42 function true true true true true');
});

test('the exported types check under moduleResolution node10, node16 and bundler', async (t) => {
  // ESM syntax: bundler and node10 (.ts), node16 from ESM (.mts).
  const esm = `import { coroutine, wait, Future, IOLoop, type Yieldable } from 'gencoro';
import * as es5 from 'gencoro/es5';
import plugin, { createTransformer, type PluginExtras, type TransformerOptions } from 'gencoro/transformer';
import type * as ts from 'typescript';

const add = coroutine(function* (a: number) {
  const b: number = yield* wait(Future.prototype.then.call(new Future<number>(), (x) => x) as Future<number>);
  return a + b;
});
const sum: Future<number> = add(1);
const loop: IOLoop = es5.IOLoop.current();
const same: typeof coroutine = es5.coroutine;
const y: Yieldable = sum;
const entry: (program: ts.Program, config?: Record<string, unknown>, extras?: PluginExtras) => ts.TransformerFactory<ts.SourceFile> = plugin;
const before: ts.TransformerFactory<ts.SourceFile> = createTransformer({ runtimeModule: 'gencoro' });
const options: TransformerOptions | undefined = undefined;
export { loop, same, y, entry, before, options };
`;
  write('types/esm.ts', esm);
  write('types/esm.mts', esm);
  // CommonJS syntax: node10 and node16 from CommonJS.
  write('types/cjs.cts', `import gencoro = require('gencoro');
import es5 = require('gencoro/es5');
import plugin = require('gencoro/transformer');
import type * as ts from 'typescript';

const f: gencoro.Future<number> = gencoro.coroutine(function* () { return 1; })();
const loop: gencoro.IOLoop = es5.IOLoop.current();
const entry: ts.TransformerFactory<ts.SourceFile> = plugin({} as ts.Program);
const alsoEntry: typeof plugin.default = plugin;
const before: ts.TransformerFactory<ts.SourceFile> = plugin.createTransformer();
const extras: plugin.PluginExtras | undefined = undefined;
export = { f, loop, entry, alsoEntry, before, extras };
`);
  // gencoro/es5 as a plain script: the global \`gencoro\` (a script is a module under node16, so not there).
  write('types/global.ts', `/// <reference types="gencoro/es5" />
const fromGlobal: gencoro.Future<number> = gencoro.coroutine(function* () { return 1; })();
`);
  const settings: Array<[string, Record<string, unknown>, string[]]> = [
    ['node10', { module: 'commonjs', moduleResolution: 'node10' }, ['esm.ts', 'cjs.cts', 'global.ts']],
    ['node10-interop', { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }, ['esm.ts', 'cjs.cts', 'global.ts']],
    ['node16', { module: 'node16', moduleResolution: 'node16' }, ['esm.mts', 'cjs.cts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['esm.ts', 'global.ts']],
    // A project for Duktape/MuJS: ES5 lib only; the declarations bring the iterator types they name.
    ['node10-lib-es5', { target: 'ES5', lib: ['es5'], downlevelIteration: true, module: 'commonjs', moduleResolution: 'node10' }, ['esm.ts', 'global.ts']],
  ];
  const results = await Promise.all(settings.map(async ([name, options, files]) => {
    const config = `types/tsconfig.${name}.json`;
    write(config, JSON.stringify({
      compilerOptions: { target: 'ES2020', lib: ['es2020'], types: [], strict: true, noEmit: true, skipLibCheck: false, ...options },
      files,
    }, null, 2));
    return tsc(config).then(() => '', (e: { stdout: string; stderr: string }) => e.stdout + e.stderr);
  }));
  settings.forEach(([name], i) => t.is(results[i], '', name));
});
