/**
 * Declarations whose scope the lowering must keep: class bodies see the
 * coroutine's hoisted bindings (and their own name); enums, namespaces and
 * `using` declarations in a flattened body are reported and left unlowered
 * rather than emitted wrong.
 */
import test from 'ava';
import { join } from 'node:path';
import ts from 'typescript';
import { runCommonJs } from './helpers/compile.js';

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
  t.regex(js, /StateMachine\(|\.begin\(step/);
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
