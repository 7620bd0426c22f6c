/**
 * Which functions the compiler plugin lowers (SPEC, "The compiler plugin"):
 * generator functions passed directly to gencoro's `coroutine`/`engine`,
 * generator methods decorated with them, and generators tagged
 * `/** @coroutine *\/`; names count only when they are gencoro's. Every case
 * runs without a Program (names tracked through imports) and with one (names
 * resolved by the checker). "Lowered" means the function became a plain
 * function returning `new __gencoro.StateMachine(...)`; where practical the
 * output is also run against the built runtime.
 */
import test from 'ava';
import { isCoroutineFunction, sleep } from 'gencoro';
import { count, functionState, isLoweredOutput, modes, programMode, runSync, type Mode } from './helpers/compile.js';

type Fn = (...args: any[]) => any;

/** TypeScript's own diagnostics must be empty for these (valid) sources, so the Program path is realistic. */
function compileClean(t: import('ava').ExecutionContext, mode: Mode, source: string, extraFiles?: Record<string, string>) {
  const result = mode.compile(source, { extraFiles });
  t.deepEqual(result.tsDiagnostics.map((d) => d.code + ' ' + d.message), [], 'the test source itself should compile cleanly');
  t.deepEqual(result.diagnostics, [], 'the plugin should report nothing');
  return result;
}

for (const mode of modes) {
  const m = ' ' + mode.label;

  test('a generator function passed directly to coroutine() is lowered and returns its result through the runner,' + m, (t) => {
    const source = `import { coroutine, maybeFuture, sleep } from 'gencoro';
export const add = coroutine(function* (a: number, b: number) {
  'tag-add';
  const x: number = yield maybeFuture(a);
  yield sleep(10);
  return x + b;
});
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-add'), 'lowered');
    t.false(r.output.includes('function*'), 'no generator function should be left');
    t.true(isLoweredOutput(r.output));
    const { add } = r.run() as { add: Fn };
    t.true(isCoroutineFunction(add));
    t.is(runSync(() => add(40, 2)), 42);
  });

  test('a generator function passed directly to engine() is lowered and runs to its end,' + m, (t) => {
    const source = `import { engine, maybeFuture, sleep } from 'gencoro';
export const log: string[] = [];
export const step = engine(function* (name: string) {
  'tag-engine';
  log.push(name);
  const n: number = yield maybeFuture(name.length);
  yield sleep(5);
  log.push(name + n);
});
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-engine'), 'lowered');
    t.false(r.output.includes('function*'));
    const ex = r.run() as { log: string[]; step: Fn };
    runSync(() => {
      t.is(ex.step('abc'), undefined, 'engine returns undefined');
      t.deepEqual(ex.log, ['abc'], 'the body ran synchronously up to the sleep');
      return sleep(10);
    });
    t.deepEqual(ex.log, ['abc', 'abc3']);
  });

  test('generator methods decorated with @coroutine and @engine (TC39 decorators) are lowered and keep this,' + m, (t) => {
    const source = `import { coroutine, engine, maybeFuture } from 'gencoro';
export class Counter {
  total = 0;
  @coroutine
  *add(n: number) {
    'tag-add';
    const v: number = yield maybeFuture(n);
    this.total += v;
    return this.total;
  }
  @engine
  *bump() {
    'tag-bump';
    yield maybeFuture(null);
    this.total += 100;
  }
  @coroutine
  static *twice(n: number) {
    'tag-static';
    const v: number = yield maybeFuture(n);
    return v * 2;
  }
  *plain() {
    'tag-plain';
    yield 1;
  }
}
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-add'), 'lowered');
    t.is(functionState(r.output, 'tag-bump'), 'lowered');
    t.is(functionState(r.output, 'tag-static'), 'lowered');
    t.is(functionState(r.output, 'tag-plain'), 'generator', 'an undecorated generator method is not touched');
    const { Counter } = r.run() as { Counter: any };
    const c = new Counter();
    t.is(runSync(() => c.add(5)), 5);
    t.is(runSync(() => c.add(7)), 12);
    runSync(() => { c.bump(); return null; });
    t.is(c.total, 112);
    t.is(runSync(() => Counter.twice(21)), 42);
    t.deepEqual([...c.plain()], [1]);
  });

  test('a function declaration tagged /** @coroutine */ is lowered and still behaves as a generator when called directly,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
/** @coroutine */
export function* numbers(n: number) {
  'tag-decl';
  for (let i = 0; i < n; i++) yield i;
  return 'done';
}
export const run = coroutine(numbers);
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-decl'), 'lowered');
    t.false(r.output.includes('function*'));
    const { numbers } = r.run() as { numbers: Fn };
    const it = numbers(3);
    t.deepEqual(it.next(), { value: 0, done: false });
    t.deepEqual(it.next(), { value: 1, done: false });
    t.deepEqual(it.next(), { value: 2, done: false });
    t.deepEqual(it.next(), { value: 'done', done: true });
    t.deepEqual([...numbers(2)], [0, 1]);
  });

  test('a generator expression tagged /** @coroutine */ inside a const initializer is lowered,' + m, (t) => {
    const source = `export const f = /** @coroutine */ function* (n: number) {
  'tag-inline';
  yield n;
  yield n + 1;
};
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-inline'), 'lowered');
    t.false(r.output.includes('function*'));
    const { f } = r.run() as { f: Fn };
    t.deepEqual([...f(4)], [4, 5]);
  });

  test('a const statement tagged /** @coroutine */ has its generator expression lowered,' + m, (t) => {
    const source = `/** @coroutine */
export const f = function* (n: number) {
  'tag-const';
  yield n * 2;
};
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-const'), 'lowered');
    const { f } = r.run() as { f: Fn };
    t.deepEqual([...f(4)], [8]);
  });

  test('a plain block comment or another JSDoc tag does not mark a generator,' + m, (t) => {
    const source = `/* @coroutine */
export function* a() { 'tag-block'; yield 1; }
/** @coroutines */
export function* b() { 'tag-other'; yield 2; }
/** @returns the numbers */
export function* c() { 'tag-returns'; yield 3; }
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-block'), 'generator');
    t.is(functionState(r.output, 'tag-other'), 'generator');
    t.is(functionState(r.output, 'tag-returns'), 'generator');
    t.is(count(r.output, 'require("gencoro")'), 0);
  });

  test('import aliases of coroutine and engine count as gencoro\'s,' + m, (t) => {
    const source = `import { coroutine as co, engine as en, maybeFuture as mf } from 'gencoro';
export const seen: number[] = [];
export const f = co(function* (x: number) { 'tag-co'; const y: number = yield mf(x); return y * 3; });
export const g = en(function* (x: number) { 'tag-en'; const y: number = yield mf(x); seen.push(y); });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-co'), 'lowered');
    t.is(functionState(r.output, 'tag-en'), 'lowered');
    const e = r.run() as { f: Fn; g: Fn; seen: number[] };
    t.is(runSync(() => e.f(5)), 15);
    runSync(() => { e.g(9); return null; });
    t.deepEqual(e.seen, [9]);
  });

  test('a namespace import of gencoro counts, in calls and in decorators,' + m, (t) => {
    const source = `import * as g from 'gencoro';
export const f = g.coroutine(function* (x: number) { 'tag-ns'; const y: number = yield g.maybeFuture(x); return y + 1; });
export const e = g.engine(function* () { 'tag-ns-engine'; yield g.moment; });
export class K {
  @g.coroutine
  *m(x: number) { 'tag-ns-method'; const y: number = yield g.maybeFuture(x); return -y; }
}
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-ns'), 'lowered');
    t.is(functionState(r.output, 'tag-ns-engine'), 'lowered');
    t.is(functionState(r.output, 'tag-ns-method'), 'lowered');
    const ex = r.run() as { f: Fn; K: any };
    t.is(runSync(() => ex.f(1)), 2);
    t.is(runSync(() => new ex.K().m(3)), -3);
  });

  test('an import-equals of gencoro (import g = require) counts,' + m, (t) => {
    const source = `import g = require('gencoro');
export const f = g.coroutine(function* (x: number) { 'tag-req'; const y: number = yield g.maybeFuture(x); return y + 10; });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-req'), 'lowered');
    const { f } = r.run() as { f: Fn };
    t.is(runSync(() => f(1)), 11);
  });

  test('an import-equals alias of a namespace import\'s member (import co = g.coroutine) counts,' + m, (t) => {
    const source = `import * as g from 'gencoro';
import co = g.coroutine;
import h = g;
import en = h.engine;
import mf = g.maybeFuture;
export const seen: number[] = [];
export const f = co(function* (x: number) { 'tag-eq'; const y: number = yield mf(x); return y + 20; });
export const e = en(function* (x: number) { 'tag-eq-engine'; const y: number = yield mf(x); seen.push(y); });
export const k = h.coroutine(function* () { 'tag-eq-ns'; return (yield mf(2)) as number; });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-eq'), 'lowered');
    t.is(functionState(r.output, 'tag-eq-engine'), 'lowered');
    t.is(functionState(r.output, 'tag-eq-ns'), 'lowered');
    const ex = r.run() as { f: Fn; e: Fn; k: Fn; seen: number[] };
    t.is(runSync(() => ex.f(1)), 21);
    runSync(() => { ex.e(4); return null; });
    t.deepEqual(ex.seen, [4]);
    t.is(runSync(() => ex.k()), 2);
  });

  test('an import-equals alias of another module\'s member named coroutine is not gencoro\'s,' + m, (t) => {
    const source = `import { maybeFuture } from 'gencoro';
namespace other { export function coroutine<T>(f: T): T { return f; } }
import coroutine = other.coroutine;
export const f = coroutine(function* () { 'tag-eq-other'; yield maybeFuture(1); return 2; });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-eq-other'), 'generator');
  });

  test('a namespace, import-equals, enum or a var of a namespace body or static block shadows gencoro\'s name,' + m, (t) => {
    const source = `import * as g from 'gencoro';
import { coroutine } from 'gencoro';
import co = g.coroutine;
const kind = (fn: Function) => fn.constructor.name;
namespace Local { export const coroutine = kind; }
export const seen: string[] = [];
namespace A {
  import co = Local.coroutine;
  seen.push(co(function* () { 'tag-sh-import-equals'; yield 1; }));
}
namespace B {
  namespace g { export const coroutine = kind; }
  seen.push(g.coroutine(function* () { 'tag-sh-namespace'; yield 1; }));
}
namespace C {
  if (kind !== undefined) { var co = kind; } else { co = kind; }
  seen.push(co(function* () { 'tag-sh-namespace-var'; yield 1; }));
}
class K {
  static {
    { var coroutine = kind; }
    seen.push(coroutine(function* () { 'tag-sh-static-block'; yield 1; }));
  }
}
namespace D {
  for (var g = Local; seen.length === 0;) { /* the loop's var is the namespace's */ }
  seen.push(g.coroutine(function* () { 'tag-sh-for-var'; yield 1; }));
}
namespace E {
  import g = Local;
  seen.push(g.coroutine(function* () { 'tag-sh-import-namespace'; yield 1; }));
}
namespace F {
  enum g { coroutine }
  seen.push(String(g.coroutine));
}
export const f = co(function* () { 'tag-sh-outside'; return (yield g.maybeFuture(3)) as number; });
`;
    const r = compileClean(t, mode, source);
    for (const tag of ['import-equals', 'namespace', 'namespace-var', 'static-block', 'for-var', 'import-namespace']) {
      t.is(functionState(r.output, 'tag-sh-' + tag), 'generator', tag);
    }
    t.is(functionState(r.output, 'tag-sh-outside'), 'lowered');
    const ex = r.run() as { f: Fn; seen: string[] };
    t.deepEqual(ex.seen, ['GeneratorFunction', 'GeneratorFunction', 'GeneratorFunction', 'GeneratorFunction', 'GeneratorFunction',
      'GeneratorFunction', '0']);
    t.is(runSync(() => ex.f()), 3);
  });

  test('type-only wrappers around the generator or the marker (as, <T>, !, satisfies) do not hide it,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export const a = coroutine(<any>(function* () { 'tag-wrap-assert'; return (yield maybeFuture(1)) as number; }));
export const b = coroutine((function* () { 'tag-wrap-satisfies'; return (yield maybeFuture(2)) as number; }) satisfies unknown);
export const c = coroutine((function* () { 'tag-wrap-bang'; return (yield maybeFuture(3)) as number; })!);
export const d = (coroutine as typeof coroutine)(function* () { 'tag-wrap-callee'; return (yield maybeFuture(4)) as number; });
`;
    const r = compileClean(t, mode, source);
    for (const tag of ['assert', 'satisfies', 'bang', 'callee']) t.is(functionState(r.output, 'tag-wrap-' + tag), 'lowered', tag);
    const ex = r.run() as Record<string, Fn>;
    t.deepEqual(['a', 'b', 'c', 'd'].map((k) => runSync(() => ex[k]())), [1, 2, 3, 4]);
  });

  test('a local function named coroutine that is not imported from gencoro is not lowered,' + m, (t) => {
    const source = `import { maybeFuture } from 'gencoro';
function coroutine<T>(f: T): T { return f; }
function engine<T>(f: T): T { return f; }
export const f = coroutine(function* () { 'tag-local'; yield maybeFuture(1); return 2; });
export const e = engine(function* () { 'tag-local-engine'; yield 3; });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-local'), 'generator');
    t.is(functionState(r.output, 'tag-local-engine'), 'generator');
    t.is(count(r.output, 'require("gencoro")'), 1, 'only the user\'s own import of gencoro');
    t.false(isLoweredOutput(r.output));
    const plain = mode.compile(source, { plain: true });
    t.is(r.output, plain.output, 'the plugin should change nothing');
    const { f } = r.run() as { f: Fn };
    t.is(Object.getPrototypeOf(f), Object.getPrototypeOf(function* () { /* empty */ }), 'f is still a generator function');
  });

  test('a parameter named coroutine shadows the import, so the generator passed to it is not lowered,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export function apply(coroutine: (f: () => Generator<number>) => unknown) {
  return coroutine(function* () { 'tag-shadowed'; yield 1; });
}
export function applyNs({ coroutine }: { coroutine: (f: () => Generator<number>) => unknown }) {
  return coroutine(function* () { 'tag-shadowed-destructured'; yield 2; });
}
export const real = coroutine(function* () { 'tag-real'; const v: number = yield maybeFuture(7); return v; });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-shadowed'), 'generator');
    t.is(functionState(r.output, 'tag-shadowed-destructured'), 'generator');
    t.is(functionState(r.output, 'tag-real'), 'lowered');
    const e = r.run() as { apply: Fn; real: Fn };
    const passed = e.apply((f: Fn) => f);
    t.is(Object.getPrototypeOf(passed), Object.getPrototypeOf(function* () { /* empty */ }));
    t.is(runSync(() => e.real()), 7);
  });

  const shadows: Array<[string, string]> = [
    ['a for...of loop variable', `for (const coroutine of wrappers) return coroutine(function* () { 'tag-shadowed'; yield 1; });
  return undefined;`],
    ['a for loop variable', `for (let coroutine = wrappers[0]!; ;) return coroutine(function* () { 'tag-shadowed'; yield 1; });`],
    ['a catch binding', `try { throw wrappers[0]; } catch (coroutine: any) { return coroutine(function* () { 'tag-shadowed'; yield 1; }); }`],
    ['a var declared in a nested block', `{ var coroutine: Wrap = wrappers[0]!; }
  return coroutine(function* () { 'tag-shadowed'; yield 1; });`],
    ['a function declared after its use', `return coroutine(function* () { 'tag-shadowed'; yield 1; });
  function coroutine(f: () => Generator<number>) { return f; }`],
  ];
  for (const [what, body] of shadows) {
    test('an import of coroutine shadowed by ' + what + ' of that name does not lower the generator passed to it,' + m, (t) => {
      const source = `import { coroutine } from 'gencoro';
type Wrap = (f: () => Generator<number>) => unknown;
export function shadowed(wrappers: Wrap[]) {
  ${body}
}
export const real = coroutine(function* () { 'tag-real'; yield null; return 1; });
`;
      const r = compileClean(t, mode, source);
      t.is(functionState(r.output, 'tag-shadowed'), 'generator');
      t.is(functionState(r.output, 'tag-real'), 'lowered', 'the real coroutine in the same file is still lowered');
      const e = r.run() as { shadowed: Fn };
      const passed = e.shadowed([(f: Fn) => f]);
      t.is(Object.getPrototypeOf(passed), Object.getPrototypeOf(function* () { /* empty */ }), 'the wrapper received a real generator function');
    });
  }

  test('generator functions not passed directly to coroutine() are not lowered, while a parenthesized one is,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
declare const cond: boolean;
const someVariable = function* () { 'tag-variable'; yield null; return 1; };
function* g() { 'tag-g'; yield null; return 2; }
export const a = coroutine(someVariable);
export const b = coroutine(cond ? function* () { 'tag-conditional'; yield null; return 3; } : g);
export const c = coroutine([function* () { 'tag-array'; yield null; return 4; }][0]!);
export const d = coroutine((function* () { 'tag-paren'; yield null; return 5; }));
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-variable'), 'generator');
    t.is(functionState(r.output, 'tag-g'), 'generator');
    t.is(functionState(r.output, 'tag-conditional'), 'generator');
    t.is(functionState(r.output, 'tag-array'), 'generator');
    t.is(functionState(r.output, 'tag-paren'), 'lowered');
  });

  test('non-generator functions passed to coroutine() are left unchanged and still run,' + m, (t) => {
    const source = `import { coroutine, engine } from 'gencoro';
export const double = coroutine(function (x: number) { 'tag-fn'; return x * 2; });
export const arrow = coroutine((x: number) => x + 1);
export const side: number[] = [];
export const e = engine(function (x: number) { side.push(x); });
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-fn'), 'plain');
    t.false(isLoweredOutput(r.output));
    t.is(count(r.output, 'require("gencoro")'), 1);
    t.is(r.output, mode.compile(source, { plain: true }).output, 'the plugin should change nothing');
    const ex = r.run() as { double: Fn; arrow: Fn; e: Fn; side: number[] };
    t.is(runSync(() => ex.double(21)), 42);
    t.is(runSync(() => ex.arrow(1)), 2);
    runSync(() => { ex.e(5); return null; });
    t.deepEqual(ex.side, [5]);
  });

  test('a coroutine nested inside a lowered coroutine is lowered too,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export const outer = coroutine(function* (n: number) {
  'tag-outer';
  const inner = coroutine(function* (k: number) { 'tag-inner'; const v: number = yield maybeFuture(k); return v + n; });
  const a: number = yield inner(1);
  const b: number = yield inner(2);
  return [a, b];
});
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-outer'), 'lowered');
    t.is(functionState(r.output, 'tag-inner'), 'lowered');
    t.false(r.output.includes('function*'));
    const { outer } = r.run() as { outer: Fn };
    t.deepEqual(runSync(() => outer(10)), [11, 12]);
  });

  test('yield* wait(x) with gencoro\'s wait becomes a plain yield point,' + m, (t) => {
    const source = `import { coroutine, wait, maybeFuture, sleep } from 'gencoro';
import { wait as w } from 'gencoro';
import * as g from 'gencoro';
export const f = coroutine(function* (x: number) {
  'tag-wait';
  const a = yield* wait(maybeFuture(x));
  const b = yield* w(sleep(5).then(() => 'slept'));
  const c = yield* g.wait(maybeFuture([a, b]));
  return c;
});
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-wait'), 'lowered');
    t.false(r.output.includes('iterate('), 'no delegation helper');
    t.false(r.output.includes('delegate('), 'no delegation helper');
    t.false(/\bwait\)?\(/.test(r.output.replace(/require\("gencoro"\)/g, '')), 'wait itself is no longer called');
    const { f } = r.run() as { f: Fn };
    t.deepEqual(runSync(() => f(3)), [3, 'slept']);
  });

  test('yield* of a local function named wait stays a real delegation and keeps its meaning,' + m, (t) => {
    const source = `import { coroutine, maybeFuture } from 'gencoro';
export const trace: string[] = [];
function* wait<T>(x: unknown): Generator<unknown, T, T> {
  trace.push('inner start');
  const v: T = yield x;
  trace.push('inner got ' + String(v));
  return v;
}
export const f = coroutine(function* (x: number) {
  'tag-local-wait';
  const a = yield* wait<number>(maybeFuture(x));
  trace.push('outer got ' + a);
  return a * 2;
});
`;
    const r = compileClean(t, mode, source);
    t.is(functionState(r.output, 'tag-local-wait'), 'lowered');
    t.true(r.output.includes('iterate('), 'the delegation helper is used');
    t.true(r.output.includes('delegate('), 'the delegation helper is used');
    t.true(/wait\(/.test(r.output.split('tag-local-wait')[1]!), 'the local wait is still called');
    const ex = r.run() as { f: Fn; trace: string[] };
    t.is(runSync(() => ex.f(4)), 8);
    t.deepEqual(ex.trace, ['inner start', 'inner got 4', 'outer got 4']);
  });
}

test('with a Program, coroutine re-exported through a local module under another name is lowered', (t) => {
  const source = `import { c, e, w } from './reexport';
import { maybeFuture } from 'gencoro';
export const seen: number[] = [];
export const f = c(function* (x: number) { 'tag-c'; const y = yield* w(maybeFuture(x)); return y + 1; });
export const g = e(function* () { 'tag-e'; seen.push(1); yield null; seen.push(2); });
`;
  const r = compileClean(t, programMode, source, {
    'reexport.ts': `export { coroutine as c, engine as e, wait as w } from 'gencoro';\n`,
  });
  t.is(functionState(r.output, 'tag-c'), 'lowered');
  t.is(functionState(r.output, 'tag-e'), 'lowered');
  t.false(r.output.includes('delegate('), 'the re-exported wait is gencoro\'s');
  const ex = r.run() as { f: Fn; g: Fn; seen: number[] };
  t.is(runSync(() => ex.f(1)), 2);
  runSync(() => { ex.g(); return null; });
  t.deepEqual(ex.seen, [1, 2]);
});

test('with a Program, a local module exporting its own coroutine under the same name is not gencoro\'s', (t) => {
  const source = `import { coroutine } from './fake';
export const f = coroutine(function* () { 'tag-fake'; yield 1; });
`;
  const r = compileClean(t, programMode, source, {
    'fake.ts': `export function coroutine<T>(f: T): T { return f; }\n`,
  });
  t.is(functionState(r.output, 'tag-fake'), 'generator');
  t.false(isLoweredOutput(r.output));
});
