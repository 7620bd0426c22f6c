/**
 * The compiler plugin as a whole: its two entries (ts-patch's
 * `plugin(program, config, extras)` and `createTransformer(options, program,
 * onDiagnostic)` for `customTransformers.before`), the one runtime import it
 * adds, CommonJS and ES module output, its options, robustness on broken
 * input, and the real `tspc` path (SPEC, "The compiler plugin").
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { createTransformer } from 'gencoro/transformer';
import {
  compileProgram, count, functionState, isLoweredOutput, makeTempDir, modes, repoRoot, runCommonJs, runSync, transpile,
} from './helpers/compile.js';

type Fn = (...args: any[]) => any;

const twoCoroutines = `import { coroutine, maybeFuture } from 'gencoro';
export const a = coroutine(function* (x: number) { 'tag-a'; const y: number = yield maybeFuture(x); return y + 1; });
export const b = coroutine(function* (x: number) { 'tag-b'; const y: number = yield a(x); return y * 2; });
/** @coroutine */
export function* c() { 'tag-c'; yield 1; }
`;

// ---------------------------------------------------------------------------
// The runtime namespace import

for (const mode of modes) {
  const m = ' ' + mode.label;

  test('exactly one require of gencoro is added to a file with several lowered coroutines,' + m, (t) => {
    const lowered = mode.compile(twoCoroutines);
    const plain = mode.compile(twoCoroutines, { plain: true });
    t.deepEqual(lowered.diagnostics, []);
    t.is(count(plain.output, 'require("gencoro")'), 1);
    t.is(count(lowered.output, 'require("gencoro")'), 2, 'the user\'s import plus one added');
    t.is(count(lowered.output, /const __gencoro(_\d+)? = require\("gencoro"\);/), 1);
    for (const tag of ['tag-a', 'tag-b', 'tag-c']) t.is(functionState(lowered.output, tag), 'lowered', tag);
    const ex = lowered.run() as { b: Fn };
    t.is(runSync(() => ex.b(1)), 4);
  });

  test('a file with gencoro imports but nothing to lower gets no import and is emitted unchanged,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export function* plain() { yield 1; }
export const notAGenerator = coroutine(function (x: number) { return maybeFuture(x); });
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics, []);
    t.is(r.output, mode.compile(source, { plain: true }).output);
    t.is(count(r.output, 'require("gencoro")'), 1);
  });

  test('a file with no gencoro import at all is emitted exactly as without the plugin,' + m, (t) => {
    const source = `function coroutine<T>(f: T): T { return f; }
function* wait(x: number) { const y: number = yield x; return y; }
export const f = coroutine(function* () { const v = yield* wait(1); return v; });
export class K { *m() { yield 2; } }
export const g = function* () { yield 3; };
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics, []);
    t.is(r.output, mode.compile(source, { plain: true }).output);
    t.false(r.output.includes('gencoro'));
  });

  test('only a JSDoc-tagged generator in a file without gencoro imports still gets the runtime import and runs,' + m, (t) => {
    const source = `/** @coroutine */
export function* count3() { 'tag-count'; yield 1; yield 2; yield 3; }
`;
    const r = mode.compile(source);
    t.is(functionState(r.output, 'tag-count'), 'lowered');
    t.is(count(r.output, 'require("gencoro")'), 1);
    const ex = r.run() as { count3: Fn };
    t.deepEqual([...ex.count3()], [1, 2, 3]);
  });

  test('the added runtime import does not collide with a user binding named __gencoro,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export const __gencoro = 'mine';
export const __gencoro_1 = 'mine too';
export const f = coroutine(function* () { 'tag-f'; const v: string = yield maybeFuture(__gencoro + '/' + __gencoro_1); return v; });
`;
    const r = mode.compile(source);
    t.is(functionState(r.output, 'tag-f'), 'lowered');
    const ex = r.run() as { f: Fn; __gencoro: string };
    t.is(ex.__gencoro, 'mine');
    t.is(runSync(() => ex.f()), 'mine/mine too');
  });

  test('ES module output imports the runtime as a namespace and runs,' + m, async (t) => {
    const source = `import { coroutine, maybeFuture, sleep, IOLoop } from 'gencoro';
export const f = coroutine(function* (x: number) { 'tag-esm'; const y: number = yield maybeFuture(x); yield sleep(10); return y * 3; });
export const result = new IOLoop({ clock: 'virtual' }).runSync(() => f(14));
`;
    const compilerOptions = mode.name === 'program'
      ? { module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler }
      : { module: ts.ModuleKind.ES2022 };
    const r = mode.compile(source, { compilerOptions });
    t.deepEqual(r.diagnostics, []);
    t.is(functionState(r.output, 'tag-esm'), 'lowered');
    t.is(count(r.output, /^import \* as __gencoro(_\d+)? from "gencoro";$/m), 1);
    t.false(r.output.includes('require('));
    const tmp = makeTempDir('esm-output');
    try {
      const file = tmp.write('input.mjs', r.output);
      const ns = await import(pathToFileURL(file).href) as { result: number };
      t.is(ns.result, 42);
    } finally {
      tmp.remove();
    }
  });

  test('ES module output of a file with nothing to lower gets no import,' + m, (t) => {
    const source = `export function* g() { yield 1; }\n`;
    const compilerOptions = { module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler };
    const r = mode.compile(source, { compilerOptions });
    t.false(r.output.includes('import'));
    t.is(r.output, mode.compile(source, { compilerOptions, plain: true }).output);
  });

  test('with target ES5 a file whose coroutines are all lowered needs no generator helper,' + m, (t) => {
    const compilerOptions = { target: ts.ScriptTarget.ES5, lib: ['lib.es2015.d.ts'] };
    const r = mode.compile(twoCoroutines, { compilerOptions });
    const plain = mode.compile(twoCoroutines, { compilerOptions, plain: true });
    t.true(plain.output.includes('__generator'), 'without the plugin TypeScript downlevels the generators');
    t.false(r.output.includes('__generator'));
    t.false(r.output.includes('function*'));
    const ex = r.run() as { b: Fn; c: Fn };
    t.is(runSync(() => ex.b(1)), 4);
  });
}

test('with a Program, only the files with lowered coroutines get the runtime import', (t) => {
  const c = compileProgram({
    'with.ts': `import { coroutine } from 'gencoro';\nexport const f = coroutine(function* () { yield null; return 'with'; });\n`,
    'without.ts': `import { maybeFuture } from 'gencoro';\nexport function* g() { yield maybeFuture(1); }\n`,
    'main.ts': `import { f } from './with';\nimport { g } from './without';\nexport { f, g };\n`,
  });
  t.deepEqual(c.diagnostics, []);
  t.deepEqual(c.tsDiagnostics, []);
  t.is(count(c.outputs.get('with.js')!, 'require("gencoro")'), 2);
  t.is(count(c.outputs.get('without.js')!, 'require("gencoro")'), 1);
  t.is(count(c.outputs.get('main.js')!, 'gencoro'), 0);
  const ex = runCommonJs(c.outputs, 'main.js') as { f: Fn };
  t.is(runSync(() => ex.f()), 'with');
});

// ---------------------------------------------------------------------------
// The two entries and the options

test('createTransformer with a Program resolves names through the checker, like the ts-patch entry', (t) => {
  const files = {
    'reexport.ts': `export { coroutine as co } from 'gencoro';\n`,
    'input.ts': `import { co } from './reexport';\nexport const f = co(function* () { 'tag-f'; yield null; return 5; });\n`,
  };
  const viaApi = compileProgram(files, { entry: 'createTransformer' });
  const viaPlugin = compileProgram(files, { entry: 'plugin' });
  t.deepEqual(viaApi.diagnostics, []);
  t.is(functionState(viaApi.outputs.get('input.js')!, 'tag-f'), 'lowered');
  t.is(viaApi.outputs.get('input.js'), viaPlugin.outputs.get('input.js'));
  const ex = runCommonJs(viaApi.outputs, 'input.js') as { f: Fn };
  t.is(runSync(() => ex.f()), 5);
});

test('the runtimeModule option names the module lowered code imports', (t) => {
  const r = transpile(twoCoroutines, { config: { runtimeModule: 'gencoro' } });
  t.is(count(r.output, 'require("gencoro")'), 2);
  const other = transpile(twoCoroutines, { config: { runtimeModule: '@acme/runtime' } });
  t.deepEqual(other.diagnostics, []);
  t.is(count(other.output, /const __gencoro(_\d+)? = require\("@acme\/runtime"\);/), 1);
  t.is(count(other.output, 'require("gencoro")'), 1, 'the user\'s own import only');
  t.is(functionState(other.output, 'tag-a'), 'lowered');
});

test('the modules option makes another module\'s coroutine count, without a Program', (t) => {
  const source = `import { coroutine } from '@acme/coro';
export const f = coroutine(function* () { 'tag-acme'; yield null; });
`;
  t.is(functionState(transpile(source).output, 'tag-acme'), 'generator', 'not gencoro\'s by default');
  const r = transpile(source, { config: { modules: ['@acme/coro'] } });
  t.deepEqual(r.diagnostics, []);
  t.is(functionState(r.output, 'tag-acme'), 'lowered');
  t.is(count(r.output, 'require("gencoro")'), 1, 'the runtime still comes from runtimeModule');
});

test('createTransformer accepts TypeScript passed explicitly and works with no options at all', (t) => {
  const out = ts.transpileModule(twoCoroutines, {
    fileName: 'input.ts',
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    transformers: { before: [createTransformer(undefined, undefined, undefined, ts)] },
  }).outputText;
  t.is(functionState(out, 'tag-a'), 'lowered');
});

// ---------------------------------------------------------------------------
// Robustness

for (const mode of modes) {
  const m = ' ' + mode.label;

  /** [what, source, whether TypeScript finds the error without a checker (a syntax error)] */
  const broken: Array<[string, string, boolean]> = [
    ['a syntax error inside a coroutine body', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { const x = yield (; return x; });
export const g = coroutine(function* () { yield null; return 1; });
`, true],
    ['a syntax error at the top level between coroutines', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { yield null; return 1; });
const = ;
export const g = coroutine(function* () { yield null; return 2; });
`, true],
    ['an unterminated coroutine', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { yield null; if (true) {
`, true],
    ['a nameless class declaration inside a coroutine', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { yield null; class { m() { return 1; } } });
`, false],
    ['a break to a label that does not exist inside a coroutine', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { yield null; break nowhere; });
`, false],
    ['a continue to a label that does not exist inside a coroutine', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { while (true) { yield null; continue nowhere; } });
`, false],
    ['index signatures without a type (a grammar error that TypeScript\'s node visitor asserts on)', `import { coroutine } from 'gencoro';
type T = { [k: string] };
class Q { [k: string]; }
export const f = coroutine(function* () {
  const a = {} as { [k: string] };
  class K { [k: string]; m(p: { [k: string] }) { return p; } }
  const d = (yield a) satisfies { [k: string] };
  return [a, K, d];
});
`, false],
    ['a break or continue with no target at all after a yield', `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { yield null; break; });
export const g = coroutine(function* (x: number) { switch (x) { case 1: yield null; continue; } });
`, false],
  ];

  for (const [what, source, syntactic] of broken) {
    test('a file with ' + what + ' does not crash the plugin, and TypeScript\'s own diagnostics are still reported,' + m, (t) => {
      const plain = mode.compile(source, { plain: true });
      if (syntactic || mode.name === 'program') t.true(plain.tsDiagnostics.length > 0, 'the source is meant to be invalid');
      let r: ReturnType<typeof mode.compile> | undefined;
      t.notThrows(() => { r = mode.compile(source); });
      if (r !== undefined) {
        t.deepEqual(r.tsDiagnostics.map((d) => d.code), plain.tsDiagnostics.map((d) => d.code));
        t.true(r.output.length > 0, 'something is emitted');
      }
    });
  }

  test('a file with type errors still has its coroutines lowered, and the type errors are reported,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export const n: number = 'not a number';
export const f = coroutine(function* (x: number) {
  'tag-typed';
  const y: string = yield maybeFuture(x);
  return y.toFixed(2);
});
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics, []);
    if (mode.name === 'program') {
      t.true(r.tsDiagnostics.some((d) => d.code === 2322 && d.line === 2), JSON.stringify(r.tsDiagnostics));
      t.true(r.tsDiagnostics.some((d) => d.code === 2551 && d.line === 6), 'toFixed does not exist on string');
    }
    t.is(functionState(r.output, 'tag-typed'), 'lowered');
    const ex = r.run() as { f: Fn };
    t.is(runSync(() => ex.f(1.5)), '1.50');
  });
}

// ---------------------------------------------------------------------------
// The real ts-patch path

function tspc(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/ts-patch/bin/tspc.js'), '-p', project], {
    cwd: repoRoot, encoding: 'utf8', timeout: 120_000,
  });
  return { status: r.status, output: (r.stdout ?? '') + (r.stderr ?? '') };
}

function tsconfig(plugin: Record<string, unknown>): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', strict: true, skipLibCheck: true,
      types: [], outDir: 'out', rootDir: 'src', plugins: [plugin],
    },
    include: ['src'],
  }, null, 2);
}

const tspcSource = `import { coroutine, engine, maybeFuture, sleep, IOLoop } from 'gencoro';
class Greeter {
  constructor(readonly name: string) {}
  @coroutine
  *greet(delay: number) {
    'tag-method';
    yield sleep(delay);
    const who: string = yield maybeFuture(this.name);
    return 'hello ' + who;
  }
}
export const log: string[] = [];
const note = engine(function* (s: string) { 'tag-engine'; yield null; log.push(s); });
/** @coroutine */
function* steps() { 'tag-jsdoc'; yield 1; yield 2; }
const main = coroutine(function* () {
  'tag-main';
  note('noted');
  const greeting: string = yield new Greeter('tspc').greet(50);
  return [greeting, [...steps()].join(','), log.join(',')].join(' | ');
});
console.log(new IOLoop({ clock: 'virtual' }).runSync(() => main()));
`;

test('tspc with { "transform": "gencoro/transformer" } builds a project, lowering its coroutines, and the output runs', (t) => {
  const tmp = makeTempDir('tspc-ok');
  try {
    tmp.write('tsconfig.json', tsconfig({ transform: 'gencoro/transformer' }));
    tmp.write('src/index.ts', tspcSource);
    const r = tspc(join(tmp.dir, 'tsconfig.json'));
    t.is(r.status, 0, r.output);
    const outFile = join(tmp.dir, 'out/index.js');
    t.true(existsSync(outFile));
    const out = readFileSync(outFile, 'utf8');
    for (const tag of ['tag-method', 'tag-engine', 'tag-jsdoc', 'tag-main']) t.is(functionState(out, tag), 'lowered', tag);
    t.false(out.includes('function*'));
    t.false(out.includes('*greet'));
    t.is(count(out, /require\("gencoro"\)/), 2);
    const run = spawnSync(process.execPath, [outFile], { cwd: tmp.dir, encoding: 'utf8', timeout: 60_000 });
    t.is(run.status, 0, run.stderr);
    t.is(run.stdout.trim(), 'hello tspc | 1,2 | noted');
  } finally {
    tmp.remove();
  }
});

test('tspc with a misspelled plugin option exits with code 2 and a message naming it', (t) => {
  const tmp = makeTempDir('tspc-typo');
  try {
    tmp.write('tsconfig.json', tsconfig({ transform: 'gencoro/transformer', runtimeModul: 'gencoro' }));
    tmp.write('src/index.ts', `import { coroutine } from 'gencoro';\nexport const f = coroutine(function* () { yield null; });\n`);
    const r = tspc(join(tmp.dir, 'tsconfig.json'));
    t.is(r.status, 2, r.output);
    t.regex(r.output, /error TS91001: .*unknown option "runtimeModul"/);
  } finally {
    tmp.remove();
  }
});

test('tspc reports a construct it cannot lower at its file, line and column, exits with code 2, and still emits', (t) => {
  const tmp = makeTempDir('tspc-unsupported');
  try {
    tmp.write('tsconfig.json', tsconfig({ transform: 'gencoro/transformer' }));
    const source = `import { coroutine } from 'gencoro';
export const ok = coroutine(function* () { 'tag-ok'; yield null; });
export const bad = coroutine(function* (b: unknown) {
  'tag-bad';
  return import((yield b) as string);
});
`;
    tmp.write('src/index.ts', source);
    const r = tspc(join(tmp.dir, 'tsconfig.json'));
    t.is(r.status, 2, r.output);
    t.regex(r.output, /src[\\/]index\.ts[(:]5[,:]10\)?: error TS91100: /);
    const out = readFileSync(join(tmp.dir, 'out/index.js'), 'utf8');
    t.is(functionState(out, 'tag-bad'), 'generator');
    t.is(functionState(out, 'tag-ok'), 'lowered');
  } finally {
    tmp.remove();
  }
});

/** transpileModule at ES2020 with the plugin as a `before` or `after` transformer; its codes go to `codes`; it must not throw. */
function transpileReporting(t: ExecutionContext, source: string, when: 'before' | 'after', codes: number[]): string {
  let output = '';
  t.notThrows(() => {
    output = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
      transformers: { [when]: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] },
    }).outputText;
  });
  return output;
}

test('used as an "after" transformer (on trees TypeScript already transformed), the plugin reports 91004 instead of crashing', (t) => {
  const codes: number[] = [];
  const source = `import { coroutine, moment } from 'gencoro';
/** @coroutine */
export function* d() { yield moment; return 1; }
export const e = coroutine(function* () { yield moment; });
`;
  const output = transpileReporting(t, source, 'after', codes);
  t.true(codes.length > 0 && codes.every((c) => c === 91004), JSON.stringify(codes));
  t.regex(output, /function\* d\(\)/, 'left as written');
});

test('module "preserve": a .cts file gets the runtime by require (it is emitted as CommonJS), a .ts or .mts file by import', (t) => {
  const source = `import g = require('gencoro');
const f = g.coroutine(function* (a: number) { yield g.moment; return a * 5; });
export = f;
`;
  const emit = (fileName: string) => ts.transpileModule(source, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.Preserve },
    transformers: { before: [createTransformer()] },
  }).outputText;
  const cjs = emit('b.cts');
  t.regex(cjs, /^const __gencoro_1 = require\("gencoro"\);$/m);
  t.notRegex(cjs, /^import /m);
  const exported = runCommonJs(cjs, 'b.js') as unknown as { (a: number): unknown } & object;
  t.is(runSync(() => (exported as never as (a: number) => unknown)(2)), 10);
  t.regex(emit('a.mts'), /^import \* as __gencoro_1 from "gencoro";$/m);
});

test('a coroutine nested deeper than the plugin can recurse (a chain of 3,000 +) is reported (91100) and left as written, not a crash', (t) => {
  const chain = Array.from({ length: 3000 }, (_, i) => String(i)).join(' + ');
  const source = `import { coroutine, moment } from 'gencoro';
export const f = coroutine(function* () { yield moment; return ${chain}; });
export const g = coroutine(function* () { yield moment; return 1; });
`;
  const codes: number[] = [];
  const output = transpileReporting(t, source, 'before', codes);
  t.deepEqual(codes, [91100]);
  const ex = runCommonJs(output) as { f: () => unknown; g: () => unknown };
  t.is(runSync(() => ex.f()), 3000 * 2999 / 2);
  t.true(isLoweredOutput(output), 'the other coroutine is lowered');
});

// ---------------------------------------------------------------------------
// Names in stack traces

test('a step is named after its function or method, so a stack trace names it (shared step and step per call)', (t) => {
  const source = `import { coroutine, maybeFuture } from 'gencoro';
const load = () => 'module load';
export class Service {
  @coroutine
  *load(id: number): Generator<unknown, number, any> { yield maybeFuture(id); throw new Error(load()); }
}
/** @coroutine */
export function* fetchOne(x = 1) { yield maybeFuture(x); throw new Error('default parameter'); }
/** @coroutine */
export function* shared(x: number) { yield maybeFuture(x); throw new Error('shared step'); }
export const anonymous = coroutine(function* (x = 1) { yield maybeFuture(x); throw new Error('anonymous'); });
export const wrapped = { fetchOne: coroutine(fetchOne), shared: coroutine(shared) };
`;
  for (const target of [ts.ScriptTarget.ES2020, ts.ScriptTarget.ES5]) {
    const { output, diagnostics } = transpile(source, { compilerOptions: { experimentalDecorators: true, target } });
    t.deepEqual(diagnostics, []);
    const m = runCommonJs(output) as Record<string, any>;
    const top = (fn: () => unknown) => {
      try {
        runSync(fn);
      } catch (e) {
        return { message: (e as Error).message, frame: (e as Error).stack!.split('\n')[1].trim().split(' ')[1] };
      }
      return undefined;
    };
    t.deepEqual(top(() => new m.Service().load(1)), { message: 'module load', frame: 'load_1' }, 'the method\'s body still calls the module\'s load');
    t.deepEqual(top(() => m.wrapped.fetchOne()), { message: 'default parameter', frame: 'fetchOne_1' });
    t.deepEqual(top(() => m.wrapped.shared(1)), { message: 'shared step', frame: 'shared_1' });
    t.is(top(() => m.anonymous())?.message, 'anonymous');
  }
});

test('a comment before a lowered return, jump or yield is printed once, not before each statement it becomes', (t) => {
  const source = `import { coroutine, moment, maybeFuture } from 'gencoro';
export const main = coroutine(function* (n: number) {
  // comment-wait
  yield moment;
  for (let i = 0; i < n; i++) {
    // comment-continue
    if (i % 2) continue;
    // comment-break
    if (i === 2) break;
    yield maybeFuture(i);
  }
  // comment-return
  return n;
});
`;
  for (const target of [ts.ScriptTarget.ES2020, ts.ScriptTarget.ES5]) {
    const { output, diagnostics } = transpile(source, { compilerOptions: { target } });
    t.deepEqual(diagnostics, []);
    t.true(isLoweredOutput(output));
    for (const name of ['wait', 'continue', 'break', 'return']) t.is(count(output, '// comment-' + name), 1, name);
  }
});
