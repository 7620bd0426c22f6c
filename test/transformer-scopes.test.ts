/**
 * Declarations whose scope the lowering must keep: class bodies see the
 * coroutine's hoisted bindings (and their own name); enums, namespaces and
 * `using` declarations directly in a case clause are reported and left
 * unlowered rather than emitted wrong (other `using` declarations are lowered:
 * test/differential/using-declarations.ts.txt).
 */
import test from 'ava';
import { join } from 'node:path';
import ts from 'typescript';
import { isLoweredOutput, runCommonJs } from './helpers/compile.js';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require(join(root, 'dist/transformer/index.js'));

function lower(source: string, target = ts.ScriptTarget.ES2020): { js: string; codes: number[] } {
  const codes: number[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { target, module: ts.ModuleKind.CommonJS, downlevelIteration: true },
    transformers: { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] },
  }).outputText;
  return { js, codes };
}

/** Runs CommonJS text and returns what its `result` export holds after runSync. */
function run(js: string): unknown {
  return runCommonJs(js).result;
}

const prelude = `import { coroutine, IOLoop, maybeFuture } from 'gencoro';\n`;
const finish = `\nexport const result = new IOLoop({ clock: 'virtual' }).runSync(() => main());\n`;

test('class field initializers, static fields and getters read per-iteration bindings of a lowered loop', (t) => {
  const { js, codes } = lower(prelude + `
const main = coroutine(function* () {
  const out: string[] = [];
  for (const n of [1, 2]) {
    const k = yield maybeFuture('v' + n);
    class C { f = k; static s = k + '!'; get g() { return C.s + k; } }
    out.push(new C().f + new C().g);
  }
  return out.join(',');
});` + finish);
  t.deepEqual(codes, []);
  t.true(isLoweredOutput(js), 'the output is lowered');
  t.is(run(js), 'v1v1!v1,v2v2!v2');
});

// A let/const or class of yield-free code inside a lowered loop stays as written: a fresh binding at
// each run of its block, for closures too. TypeScript's ES5 output makes it a var, and makes per-
// iteration copies only for the source's loops, not for the dispatch loop that now runs this one;
// so at ES5 the plugin lowers such a block after all, and its captured bindings get boxes.
const nativeBlockBindings = prelude + `
const main = coroutine(function* () {
  const fns: (() => string)[] = [];
  for (let i = 0; i < 3; i++) {
    const tag = yield maybeFuture('t' + i);
    { let v = tag + i; fns.push(() => v); }
    if (i >= 0) { class K { static s = 'K' + i; } fns.push(() => K.s); }
    for (const j of [i]) { const w = 'w' + j; fns.push(() => w); }   // a native loop: TypeScript's own copies
  }
  return fns.map((f) => f()).join(' ');
});` + finish;

test('closures over bindings of yield-free blocks inside a lowered loop see their own iteration\'s (ES2020: lowered)', (t) => {
  const { js, codes } = lower(nativeBlockBindings);
  t.deepEqual(codes, []);
  t.true(isLoweredOutput(js), 'the output is lowered');
  t.is(run(js), 't00 K0 w0 t11 K1 w1 t22 K2 w2');
});

test('with an ES5 target, yield-free blocks whose bindings closures capture inside a lowered loop are lowered too (boxed)', (t) => {
  const { js, codes } = lower(nativeBlockBindings, ts.ScriptTarget.ES5);
  t.deepEqual(codes, []);
  t.true(isLoweredOutput(js), 'the output is lowered');
  t.is(run(js), 't00 K0 w0 t11 K1 w1 t22 K2 w2');
  // Without a closure's capture, the blocks stay native.
  const plain = lower(nativeBlockBindings.replace('fns.push(() => v)', 'fns.push(v)').replace('fns.push(() => K.s)', 'fns.push(K.s)')
    .replace(/fns\.map\(\(f\) => f\(\)\)/, 'fns.map((f) => typeof f === "function" ? f() : f)'), ts.ScriptTarget.ES5);
  t.deepEqual(plain.codes, []);
  t.true(isLoweredOutput(plain.js));
  t.is(run(plain.js), 't00 K0 w0 t11 K1 w1 t22 K2 w2');
});

test('an enum in a coroutine body is reported (91100) and the coroutine still runs, unlowered', (t) => {
  for (const kind of ['enum', 'const enum']) {
    const { js, codes } = lower(prelude + `
const main = coroutine(function* () { ${kind} E { A = 7 } yield maybeFuture(0); return E.A; });` + finish);
    t.deepEqual(codes, [91100], kind);
    t.regex(js, /function\*/);
    t.is(run(js), 7);
  }
});

test('a coroutine nested in a lowered body that is reported (91100) still reads the outer body\'s bindings', (t) => {
  // It stays a native generator inside the lowered body, whose locals were renamed or made fields:
  // it once read the module-level `total` and `name` instead (no renaming for a function left unlowered).
  for (const shared of [true, false]) {
    const { js, codes } = lower(prelude + `
const total = 100;
const name = 'module-level';
const main = coroutine(function* (${shared ? 'name: string' : "name: string = 'default'"}) {
  let total = 1;
  total += (yield maybeFuture(1)) as number;
  const inner = coroutine(function* () { enum E { A = 1 } yield maybeFuture(0); return [total + E.A, name].join(' '); });
  return yield inner();
});
export const result = new IOLoop({ clock: 'virtual' }).runSync(() => main('parameter'));
`);
    t.deepEqual(codes, [91100], shared ? 'shared step' : 'step per call');
    t.is(run(js), '3 parameter');
  }
});

test('a using declaration directly in a case clause is reported (91100) and left as written, lowered list or not', (t) => {
  // Its scope is the whole switch; TypeScript's own output disposes it when the function returns.
  for (const body of [
    'switch (k) { case 1: using r = res(); yield maybeFuture(0); }',
    'yield maybeFuture(0); switch (k) { case 1: using r = res(); }',
    'switch (k) { case 0: yield maybeFuture(0); default: using r = res(); }',
  ]) {
    const { js, codes } = lower(prelude + `
const res = () => ({ [Symbol.dispose]() {} });
const main = coroutine(function* (k = 1) { ${body} return 1; });`);
    t.deepEqual(codes, [91100], body);
    t.regex(js, /function\*/);
  }
  // In a block of its own, or in a closure, it is lowered as usual.
  const { js, codes } = lower(prelude + `
const res = () => ({ [Symbol.dispose]() {} });
const main = coroutine(function* (k = 1) { switch (k) { case 1: { using r = res(); yield maybeFuture(0); } } return () => { switch (k) { case 1: using q = res(); } }; });`);
  t.deepEqual(codes, []);
  t.true(isLoweredOutput(js));
});

test('in sloppy-mode code a body that uses arguments keeps a step per call: arguments[i] and the parameter stay one binding', (t) => {
  // A script (no import or export, no "use strict"): its functions are sloppy, where writing
  // arguments[0] changes the parameter and the other way round. Copying parameters onto a
  // machine would part them, so such a body is not given a shared step.
  const source = `
/** @coroutine */
function* g(a: number, b: number) {
  arguments[0] = 10;
  b = 20;
  yield a + b;
  return [a, arguments[0], b, arguments[1]].join(',');
}
/** @coroutine */
function* strictBody(a: number) {
  'use strict';
  arguments[0] = 10;
  yield a;
  return a;
}
function drive(it: Iterator<unknown>) { const out = []; for (let r = it.next(); ; r = it.next()) { out.push(r.value); if (r.done) return out.join(' '); } }
(globalThis as any).__result = [drive(g(1, 2)), drive(strictBody(1))].join(' | ');
`;
  const run = (js: string) => {
    const g = globalThis as { __result?: unknown };
    delete g.__result;
    new Function('require', js)(require); // a script: lowered code finds the runtime through require
    return g.__result;
  };
  const plain = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText;
  const { js, codes } = lower(source);
  t.deepEqual(codes, []);
  t.false(/function\s*\*/.test(js), 'both are lowered');
  t.regex(js, /new __gencoro(_\d+)?\.StateMachine\(/, 'the sloppy body that uses arguments keeps a step per call');
  t.regex(js, /\.begin\([\w$]+, [01]\)/, 'a strict body shares its step');
  t.is(run(plain), '30 10,10,20,20 | 1 1');
  t.is(run(js), run(plain));
});

// Sloppy-mode code gives a function declaration in a block a second, function-scoped binding
// (Annex B), which the lowering would not keep: such a coroutine is reported and runs unlowered.
const annexB = `declare const require: any, exports: any;
var gencoro = require('gencoro');
var main = gencoro.coroutine(/** @coroutine */ function* () {
  var out: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    yield gencoro.maybeFuture(i);
    { function g() { return i; } }
    out.push(typeof g === 'function' ? g() : 'none');
  }
  return out.join(' ');
});
declare var g: any;
exports.result = new gencoro.IOLoop().runSync(() => main());`;

test('a function declaration in a block of sloppy-mode code is reported (91100) and keeps its function-scoped binding', (t) => {
  const sloppy = lower(annexB);
  t.deepEqual(sloppy.codes, [91100]);
  t.false(isLoweredOutput(sloppy.js));
  t.is(run(sloppy.js), '0 1');
  // The same in strict code is lowered: the declaration is the block's alone.
  const strict = lower('"use strict";\n' + annexB);
  t.deepEqual(strict.codes, []);
  t.true(isLoweredOutput(strict.js));
  t.is(run(strict.js), 'none none');
  // Sloppy-mode only: a declaration as the body of an if or a label (the plugin used to crash here).
  for (const form of ['if (i >= 0) function g() { return i; }', 'l: function g() { return i; }']) {
    const r = lower(annexB.replace('{ function g() { return i; } }', form));
    t.deepEqual(r.codes, [91100], form);
    t.is(run(r.js), '0 1', form);
  }
});

test('with an ES5 target, a decorated class declaration in a coroutine body is reported (91100) and runs unlowered', (t) => {
  const source = prelude + `
const dec = (value: unknown) => value as never;
const main = coroutine(function* () {
  const out: string[] = [];
  for (let i = 0; i < 2; i++) {
    const tag = yield maybeFuture('t' + i);
    class B { static q = i; static #p = 'p' + i; static { out.push(B.#p + tag); } @dec hi() { return B.q + tag; } }
    out.push(new B().hi());
  }
  return out.join(' ');
});` + finish;
  const es5 = lower(source, ts.ScriptTarget.ES5);
  t.deepEqual(es5.codes, [91100]);
  t.false(isLoweredOutput(es5.js));
  t.is(run(es5.js), 'p0t0 0t0 p1t1 1t1');
  const es2020 = lower(source);
  t.deepEqual(es2020.codes, []);
  t.true(isLoweredOutput(es2020.js));
  t.is(run(es2020.js), 'p0t0 0t0 p1t1 1t1');
});

test('a direct eval in a coroutine body is reported (91100): it would not find the renamed locals', (t) => {
  const source = prelude + `
const main = coroutine(function* () {
  const x = 'x' + (yield maybeFuture(1));
  const read = () => eval('x');
  return eval('x') + read();
});` + finish;
  const r = lower(source);
  t.deepEqual(r.codes, [91100]);
  t.false(isLoweredOutput(r.js));
  t.is(run(r.js), 'x1x1');
  // An indirect eval runs in the global scope: nothing to report.
  const indirect = lower(source.replace(/eval\('x'\)/g, "(0, eval)('typeof x')"));
  t.deepEqual(indirect.codes, []);
  t.true(isLoweredOutput(indirect.js));
  t.is(run(indirect.js), 'undefinedundefined');
});

// Legacy decorators with emitDecoratorMetadata write type annotations as values, by name.
test('emitDecoratorMetadata: a @coroutine method keeps its design:returntype, and a decorated class in a body is reported (91100)', (t) => {
  const compile = (source: string, lowered = true) => {
    const codes: number[] = [];
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, experimentalDecorators: true, emitDecoratorMetadata: true },
      transformers: lowered ? { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] } : undefined,
    }).outputText;
    return { js, codes };
  };
  const metadata = `const seen: string[] = [];
(Reflect as any).metadata = (k: string, v: any) => () => {
  seen.push(k + '=' + (Array.isArray(v) ? v.map((x) => x.name).join() : v === undefined ? 'undefined' : v.tag ?? v.name));
};
const dec = (...args: unknown[]) => {};
`;
  const methodSource = prelude + metadata + `
class Svc { @dec @coroutine *run(a: number): Generator<unknown, number, any> { return (yield maybeFuture(a)) as number; } }
const main = coroutine(function* () { const r = yield new Svc().run(2); return [r, ...seen].join(' '); });` + finish;
  const method = compile(methodSource);
  t.deepEqual(method.codes, []);
  t.true(isLoweredOutput(method.js));
  t.is(run(method.js), run(compile(methodSource, false).js));
  t.regex(run(method.js) as string, /design:returntype=Object/); // no Generator global at run time: Object, not undefined
  const local = compile(prelude + metadata + `
const main = coroutine(function* () {
  class Local { static tag = 'inner'; }
  yield maybeFuture(0);
  class User { @dec f!: Local; }
  return seen.join(' ') + (User ? '' : '');
});` + finish);
  t.deepEqual(local.codes, [91100]);
  t.is(run(local.js), 'design:type=inner');
});

/** Compiles `source` plainly and lowered with extra options and returns both results of `result`. */
function both(source: string, options: ts.CompilerOptions, fileName = 'input.ts'): { plain: unknown; lowered: unknown; codes: number[] } {
  const codes: number[] = [];
  const compile = (lowered: boolean) => ts.transpileModule(source, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, ...options },
    transformers: lowered ? { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] } : undefined,
  }).outputText;
  return { plain: run(compile(false)), lowered: run(compile(true)), codes };
}

test('JSX attribute names and intrinsic tags are not the body\'s bindings of that name (both shapes)', (t) => {
  const source = prelude + `
const React = { createElement: (tag: any, props: any, ...children: any[]) => JSON.stringify([tag, props, children]) };
const shared = coroutine(function* () {
  let title = 'local title';
  let span = 'local span';
  yield maybeFuture(0);
  return <span title={title} data-x="1">{span}</span>;
});
const perCall = coroutine(function* (a = 1) {
  { let div = 'local div'; let title = 'local title ' + a; yield maybeFuture(0); return <div title={title}>{div}</div>; }
});
export const result = new IOLoop({ clock: 'virtual' }).runSync(() => coroutine(function* () {
  return [yield shared(), yield perCall()];
})());
`;
  const r = both(source, { jsx: ts.JsxEmit.React }, 'input.tsx');
  t.deepEqual(r.codes, []);
  t.deepEqual(r.lowered, r.plain);
  t.deepEqual(r.plain, ['["span",{"title":"local title","data-x":"1"},["local span"]]', '["div",{"title":"local title 1"},["local div"]]']);
});

test('legacy parameter decorators read the body\'s bindings (they run where the class is made)', (t) => {
  const source = prelude + `
const tok = 'module tok';
const seen: string[] = [];
function inject(token: string) { return (_target: unknown, _key: unknown, _index: number) => { seen.push(token); }; }
const shared = coroutine(function* () {
  const tok = 'shared tok';
  yield maybeFuture(0);
  class S { m(@inject(tok) _y: number) {} }
  return S.name;
});
const perCall = coroutine(function* (a = 1) {
  {
    const tok = 'per call tok ' + a;
    yield maybeFuture(0);
    class S { constructor(@inject(tok) _x: number) {} m(@inject(tok + '!') _y: number) {} }
    return S.name;
  }
});
export const result = new IOLoop({ clock: 'virtual' }).runSync(() => coroutine(function* () {
  return [yield shared(), yield perCall(), ...seen].join(', ');
})());
`;
  const r = both(source, { experimentalDecorators: true });
  t.deepEqual(r.codes, []);
  t.is(r.lowered, r.plain);
  t.is(r.plain, 'S, S, shared tok, per call tok 1!, per call tok 1');
});

test('a class with a yield in its extends clause or a computed name is reported (91100) when it has static fields or decorators', (t) => {
  // Lowered, it becomes a class expression after the spilled parts: TypeScript would move static
  // initializers out of it (where the class's own name is unbound), and legacy decorators do not apply.
  for (const member of ['static s = K.name;', 'static { (this as any).s = K.name; }']) {
    const { js, codes } = lower(prelude + `
const main = coroutine(function* () {
  class K extends ((yield maybeFuture(Object)) as ObjectConstructor) { ${member} }
  return (K as any).s;
});` + finish);
    t.deepEqual(codes, [91100], member);
    t.is(run(js), 'K', member);
  }
  const plain = lower(prelude + `
const main = coroutine(function* () {
  class K extends ((yield maybeFuture(Object)) as ObjectConstructor) { m() { return K.name; } }
  return new K().m();
});` + finish);
  t.deepEqual(plain.codes, [], 'without static members it is lowered');
  t.is(run(plain.js), 'K');
});

test('yields where a class evaluates its own scope or decorators, and using in a for-in head, are reported (91100), not emitted wrong', (t) => {
  const cases: Array<[string, string]> = [
    // Computed names are evaluated inside the class's private scope: `#x` there cannot move out in front of it.
    ['a private name', 'class C { #x = 1; [(yield moment, #x in {}) ? "a" : "b"]() {} }'],
    // A yield in a decorator was left in the step function (a SyntaxError when loaded).
    ['a class decorator', '@(yield moment, (c: any) => c) class C {}'],
    ['a member decorator', 'class C { @(yield moment, (p: any, k: any) => {}) m() {} }'],
    ['a parameter decorator', 'class C { m(@(yield moment, (p: any, k: any, i: number) => {}) x: number) {} }'],
    ['using in a for-in head', 'for (using r in { a: 1 }) { yield moment; }'],
  ];
  for (const [what, body] of cases) {
    const source = `import { coroutine, moment } from 'gencoro';\nexport const main = coroutine(function* () { ${body} return 1; });`;
    const codes: number[] = [];
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
      transformers: { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] },
    }).outputText;
    t.deepEqual(codes, [91100], what);
    t.regex(js, /function\*/, what);
  }
});
