/**
 * A lowered coroutine's Future is also the object its locals live on (as
 * fields). When the body returns or throws, the fields that no closure can
 * read are emptied, so keeping the Future (a cache of results, say) does not
 * keep the coroutine's locals reachable, as with a finished generator or
 * async function. Fields a closure reads stay: the closure may run later.
 */
import test from 'ava';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { compileProgram, isLoweredOutput, runCommonJs } from './helpers/compile.js';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require(join(root, 'dist/transformer/index.js'));

function lower(source: string): string {
  const codes: number[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    transformers: { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] },
  }).outputText;
  if (codes.length > 0 || !isLoweredOutput(js)) throw new Error('not lowered: ' + codes.join(', ') + '\n' + js);
  return js;
}

/** The names of the Future's own properties whose value is `value`. */
function holding(future: object, value: unknown): string[] {
  return Object.keys(future).filter((k) => (future as Record<string, unknown>)[k] === value);
}

const prelude = `import { coroutine, IOLoop, maybeFuture, Callback, Wait } from 'gencoro';
export const big = { big: true };
export const other = { other: true };
export let future: any;
const loop = new IOLoop();
export const run = (f: (...a: any[]) => any, ...args: any[]) => {
  let result: unknown, error: unknown;
  try { result = loop.runSync(() => (future = f(...args))); } catch (e) { error = e; }
  return { result, error };
};
`;

test('a finished coroutine keeps no local on its Future: returned, thrown, after a try region', (t) => {
  const exports = runCommonJs(lower(prelude + `
export const returns = coroutine(function* (input: object) {
  const copy = input;
  const got = yield maybeFuture(copy);
  let alias = got;
  return typeof alias;
});
export const throws = coroutine(function* (input: object) {
  const list = [input];
  yield maybeFuture(list);
  throw new Error('failed with ' + list.length);
});
export const regions = coroutine(function* (input: object) {
  let kept: unknown;
  try {
    kept = yield maybeFuture(input);
    throw input;
  } catch (e) {
    kept = e;
  } finally {
    yield maybeFuture(0);
  }
  return kept === input;
});`));
  const run = exports.run as (f: unknown, ...args: unknown[]) => { result: unknown; error: unknown };
  for (const name of ['returns', 'throws', 'regions']) {
    const { result, error } = run(exports[name], exports.big);
    t.is(error instanceof Error ? 'threw' : result, { returns: 'object', throws: 'threw', regions: true }[name as 'returns'], name);
    const future = exports.future as object;
    t.true('step' in future, name + ': the Future is the lowered coroutine itself');
    t.deepEqual(holding(future, exports.big), [], name);
  }
});

test('fields a closure reads stay after the body finished; the rest are emptied', (t) => {
  const exports = runCommonJs(lower(prelude + `
export const closures = coroutine(function* (input: object, unused: object) {
  let kept = input;
  const dropped = unused;
  yield maybeFuture(dropped);
  const read = () => kept;
  return read;
});`));
  const run = exports.run as (f: unknown, ...args: unknown[]) => { result: unknown };
  const { result } = run(exports.closures, exports.big, exports.other);
  t.is((result as () => unknown)(), exports.big);
  t.true(holding(exports.future as object, exports.big).length > 0, 'the captured binding is still a field');
  t.deepEqual(holding(exports.future as object, exports.other), []);
});

test('a body that a Runner took over (a YieldPoint) is emptied when it finishes too', (t) => {
  const exports = runCommonJs(lower(prelude + `
export const legacy = coroutine(function* (input: object) {
  const copy = input;
  const cb: (v: unknown) => void = yield new Callback('k');
  cb(copy);
  const back = yield new Wait('k');
  return back === copy;
});`));
  const run = exports.run as (f: unknown, ...args: unknown[]) => { result: unknown };
  t.is(run(exports.legacy, exports.big).result, true);
  t.deepEqual(holding(exports.future as object, exports.big), []);
});

test('a kept Future of a finished coroutine does not keep its locals alive (garbage collection)', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const exports = runCommonJs(lower(prelude + `
export const refs: WeakRef<object>[] = [];
export const hold = coroutine(function* (size: number) {
  const buffer = new Array(size).fill(7);
  refs.push(new WeakRef(buffer));   // only the coroutine's fields hold the buffer itself
  yield maybeFuture(0);
  return buffer.length;
});`));
  const run = exports.run as (f: unknown, ...args: unknown[]) => { result: unknown };
  t.is(run(exports.hold, 1000).result, 1000);
  const future = exports.future as object;
  const ref = (exports.refs as WeakRef<object>[])[0];
  await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target until the job ends
  gc();
  t.is(ref.deref(), undefined, 'the buffer was collected while its Future is still kept');
  t.true('step' in future);
});

// Clearing a field that only holds numbers or booleans frees nothing, so it is skipped: by type
// with a Program, by annotation or literal initializer without one. Objects are always cleared.
const scalars = `import { coroutine, maybeFuture } from 'gencoro';
export const f = coroutine(function* (count: number, flag: boolean, list: number[]) {
  let n = 0;
  const inferred = count * 2;
  let maybe: number | undefined = undefined;
  const obj = { list };
  for (let i = 0; i < count; i++) n += (yield maybeFuture(list[i])) as number;
  return [n, inferred, maybe, flag, obj.list.length].join();
});`;

/** The field names the clear function of the output empties. */
function cleared(js: string): string[] {
  const m = /}, function \((m_\d+)\) \{ ([^}]*) \}\)\)/.exec(js);
  if (m === null) return [];
  return m[2].split(' = ').filter((x) => x.startsWith(m[1] + '.')).map((x) => x.slice(m[1].length + 1).replace(/_\d+$/, ''));
}

test('fields that only hold numbers or booleans are not cleared: by annotation or literal without a checker', (t) => {
  t.deepEqual(cleared(lower(scalars)).sort(), ['inferred', 'list', 'maybe', 'obj', 't'], 'a temporary may hold anything');
});

test('fields that only hold numbers or booleans are not cleared: by type with a Program', (t) => {
  const compiled = compileProgram({ 'index.ts': scalars });
  t.deepEqual(compiled.diagnostics, []);
  t.deepEqual(cleared(compiled.outputs.get('index.js')!).sort(), ['list', 'obj', 't']);
});

test('JSON.stringify of a lowered coroutine\'s Future gives what it gives unlowered (not its locals, no cycle)', (t) => {
  const exports = runCommonJs(lower(prelude + `
export const co = coroutine(function* (input: object) { const copy = input; yield maybeFuture(0); return 'done'; });`));
  const run = exports.run as (f: unknown, ...args: unknown[]) => { result: unknown };
  t.is(run(exports.co, exports.big).result, 'done');
  t.is(JSON.stringify(exports.future), JSON.stringify({ _state: 1, _value: 'done', _callbacks: null }));
});

// A let/const field that only holds numbers starts as 0 instead of undefined (V8 then keeps it
// as an untagged integer in optimized code; see build.ts startsAsNumber). Only let/const: their
// first value cannot be read without a TDZ error. A var keeps undefined (test/differential/number-fields).
const numbers = `import { coroutine, maybeFuture } from 'gencoro';
export const f = coroutine(function* (count: number, list: number[]) {
  let n = 0;
  const inferred = count * 2;
  let annotated: number;
  let maybe: number | undefined = undefined;
  var hoisted = 1;
  let text = 'a';
  for (let i = 0; i < count; i++) n += (yield maybeFuture(list[i])) as number;
  annotated = n;
  return [n, inferred, annotated, maybe, hoisted, text].join();
});`;

/** The field names the entry of the output starts at 0. */
function startAtZero(js: string): string[] {
  const m = /\n\s+((m_\d+)\.\w+ = )+0;\n/.exec(js);
  if (m === null) return [];
  return m[0].trim().split(' = ').filter((x) => x.startsWith(m[2] + '.')).map((x) => x.slice(m[2].length + 1).replace(/_\d+$/, ''));
}

test('let/const fields that only hold numbers start as 0: by annotation or literal without a checker', (t) => {
  t.deepEqual(startAtZero(lower(numbers)).sort(), ['annotated', 'i', 'n']);
});

test('let/const fields that only hold numbers start as 0: by type with a Program', (t) => {
  const compiled = compileProgram({ 'index.ts': numbers });
  t.deepEqual(compiled.diagnostics, []);
  t.deepEqual(startAtZero(compiled.outputs.get('index.js')!).sort(), ['annotated', 'i', 'inferred', 'n']);
});
