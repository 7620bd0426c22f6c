/**
 * Declarations whose scope the lowering must keep: class bodies see the
 * coroutine's hoisted bindings (and their own name); enums, namespaces and
 * `using` declarations in a flattened body are reported and left unlowered
 * rather than emitted wrong.
 */
import test from 'ava';
import { join } from 'node:path';
import ts from 'typescript';
import { isLoweredOutput, runCommonJs } from './helpers/compile.js';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require(join(root, 'dist/transformer/index.js'));

function lower(source: string): { js: string; codes: number[] } {
  const codes: number[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
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

test('an enum in a coroutine body is reported (91100) and the coroutine still runs, unlowered', (t) => {
  for (const kind of ['enum', 'const enum']) {
    const { js, codes } = lower(prelude + `
const main = coroutine(function* () { ${kind} E { A = 7 } yield maybeFuture(0); return E.A; });` + finish);
    t.deepEqual(codes, [91100], kind);
    t.regex(js, /function\*/);
    t.is(run(js), 7);
  }
});

test('a using declaration in a coroutine body is reported (91100), not lowered without its disposal', (t) => {
  const { js, codes } = lower(prelude + `
const main = coroutine(function* () { using r = { [Symbol.dispose]() {} }; yield maybeFuture(0); return 1; });`);
  t.deepEqual(codes, [91100]);
  t.regex(js, /function\*/);
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
  t.regex(js, /\.begin\(step/, 'a strict body shares its step');
  t.is(run(plain), '30 10,10,20,20 | 1 1');
  t.is(run(js), run(plain));
});
