import test from 'ava';
import { BadYieldError, Future, IOLoop, Wait, convertYielded, coroutine, moment } from 'gencoro';
import { failed, later, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

/**
 * A second copy of the runtime: the UMD ES5 build loaded once more, past
 * require's cache (`gencoro` itself is that file, so a plain require would
 * give the same copy).
 */
const foreign = loadSecondCopy();
function loadSecondCopy(): typeof import('gencoro') {
  const path = require.resolve('gencoro/es5');
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as typeof import('gencoro');
  } finally {
    if (cached !== undefined) require.cache[path] = cached;
  }
}

// Converters registered by this file. Registrations are global and permanent, so
// each test matches only values of its own marker class, and the spy never matches.
class Deferred<T> {
  constructor(public value: T) {}
}
class HijackedThenable {
  thenCalls = 0;
  then(onFulfilled: (v: string) => void): void {
    this.thenCalls++;
    onFulfilled('built-in thenable branch');
  }
}
class BadConversion {}
const spySeen: unknown[] = [];
convertYielded.register((x) => { spySeen.push(x); return false; }, () => resolved('never'));
convertYielded.register((x) => x instanceof Deferred, (d) => resolved((d as Deferred<unknown>).value));
convertYielded.register(
  (x) => x instanceof Future && (x as { hijack?: boolean }).hijack === true,
  () => resolved('hijacked'),
);
convertYielded.register((x) => x instanceof HijackedThenable, () => resolved('registered converter'));
convertYielded.register(
  (x) => typeof x === 'object' && x !== null && (x as { special?: unknown }).special === 'registered',
  () => resolved('special object'),
);
convertYielded.register((x) => x instanceof BadConversion, () => 42 as never);

// --- futures and moment --------------------------------------------------------------

test('a Future is returned as it is, whether pending, done or failed', (t) => {
  withLoop(() => {
    const pending = new Future<number>();
    t.is(convertYielded(pending), pending);
    const done = resolved(1);
    t.is(convertYielded(done), done);
    const bad = failed(new Error('x'));
    t.is(convertYielded(bad), bad);
    bad.exception();
    const fromCoroutine = coroutine(function* () { return 1; })();
    t.is(convertYielded(fromCoroutine), fromCoroutine);
  });
});

test('null and undefined become moment', (t) => {
  t.is(convertYielded(null), moment);
  t.is(convertYielded(undefined), moment);
});

// --- thenables -------------------------------------------------------------------------

test('a native Promise is adopted: a pending Future that takes its value or its error', async (t) => {
  const promise = Promise.resolve('promised');
  const f = convertYielded<string>(promise);
  t.true(f instanceof Future);
  t.false(f.done());
  await promise;
  t.true(f.done());
  t.is(f.result(), 'promised');

  const error = new Error('rejected');
  const rejected = Promise.reject(error);
  const g = convertYielded(rejected);
  t.false(g.done());
  await rejected.catch(() => undefined);
  t.true(g.done());
  t.is(g.exception(), error);
});

test('a thenable that calls back synchronously gives a Future that is already done', (t) => {
  const f = convertYielded({ then(onFulfilled: (v: number) => void) { onFulfilled(7); } });
  t.true(f.done());
  t.is(f.result(), 7);

  const error = new Error('sync rejection');
  const g = convertYielded({ then(_: unknown, onRejected: (e: unknown) => void) { onRejected(error); } });
  t.true(g.done());
  t.is(g.exception(), error);
});

test('a thenable that calls back later resolves the Future synchronously inside that call', (t) => {
  let resolve: ((v: string) => void) | undefined;
  const f = convertYielded({ then(onFulfilled: (v: string) => void) { resolve = onFulfilled; } });
  t.false(f.done());
  resolve!('later');
  t.true(f.done());
  t.is(f.result(), 'later');
});

test('a thenable whose then throws gives a failed Future with that error, without throwing', (t) => {
  const error = new Error('then threw');
  let f: Future<unknown> | undefined;
  t.notThrows(() => { f = convertYielded({ then() { throw error; } }); });
  t.true(f!.done());
  t.is(f!.exception(), error);
});

test('only the first call back of a thenable counts, and a throw after it is ignored', (t) => {
  const error = new Error('second');
  const f = convertYielded({
    then(onFulfilled: (v: number) => void, onRejected: (e: unknown) => void) {
      onFulfilled(1);
      onRejected(error);
      onFulfilled(2);
      throw new Error('after the result');
    },
  });
  t.true(f.done());
  t.is(f.result(), 1);
});

// --- arrays and objects -------------------------------------------------------------

test('arrays and plain objects go through multi and keep their shape', (t) => {
  withLoop((loop) => {
    const done = convertYielded([resolved(1), null, { a: resolved('a') }]);
    t.true(done.done());
    t.deepEqual(done.result(), [1, undefined, { a: 'a' }]);

    const pending = convertYielded({ x: later(10, 'x'), y: [later(20, 'y')] });
    t.false(pending.done());
    t.deepEqual(loop.runSync(() => pending), { x: 'x', y: ['y'] });
    t.is(loop.time(), 20);

    t.deepEqual(convertYielded([]).result(), []);
    t.deepEqual(convertYielded({}).result(), {});
  });
});

// --- a Future from another copy of the runtime ---------------------------------------------

test('a Future from another copy of the runtime is recognised and mirrored into a local Future', (t) => {
  const pending = new foreign.Future<number>();
  t.false(pending instanceof Future);
  const local = convertYielded<number>(pending);
  t.true(local instanceof Future);
  t.not(local as unknown, pending);
  t.false(local.done());
  pending.setResult(3);
  t.true(local.done(), 'the mirror is synchronous');
  t.is(local.result(), 3);

  const done = new foreign.Future<string>();
  done.setResult('already');
  t.is(convertYielded(done).result(), 'already');

  const error = new Error('foreign failure');
  const bad = new foreign.Future<string>();
  bad.setException(error);
  const badLocal = convertYielded(bad);
  t.true(badLocal.done());
  t.is(badLocal.exception(), error);
});

test('a Future from another copy of the runtime that fails with undefined gives a local Future failed with undefined', (t) => {
  withLoop((loop, logs) => {
    const other = new foreign.Future<string>();
    const local = convertYielded(other);
    const foreignLogs: string[] = [];
    const previousForeignLogger = foreign.setLogger((message) => { foreignLogs.push(message); });
    try {
      other.setException(undefined);
    } finally {
      foreign.setLogger(previousForeignLogger);
    }
    t.deepEqual(foreignLogs, []);
    t.true(local.done());
    t.is(local.exception(), undefined);
    const thrown = t.throws(() => local.result(), { any: true });
    t.is(thrown, undefined);
    t.deepEqual(logs, []);
  });
});

test('a coroutine may yield a Future from another copy of the runtime, alone or in a list', (t) => {
  withLoop((loop) => {
    const other = new foreign.Future<string>();
    loop.callLater(25, () => { other.setResult('from the other copy'); });
    const run = coroutine(function* () {
      const alone: string = yield other;
      const inList: string[] = yield [other, resolved('local')];
      return { alone, inList, at: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { alone: 'from the other copy', inList: ['from the other copy', 'local'], at: 25 });
  });
});

// --- register ----------------------------------------------------------------------

test('a registered converter makes a new kind of value yieldable, alone or in a list', (t) => {
  withLoop(() => {
    t.is(convertYielded(new Deferred('converted')).result(), 'converted');
    const run = coroutine(function* () {
      const a: number = yield new Deferred(1);
      const b: number[] = yield [new Deferred(2), resolved(3)];
      return [a, ...b];
    });
    const f = run();
    t.true(f.done());
    t.deepEqual(f.result(), [1, 2, 3]);
  });
});

test('registered converters are consulted after the Future check: a Future never reaches them', (t) => {
  const hijack = resolved('original') as Future<string> & { hijack?: boolean };
  hijack.hijack = true;
  t.is(convertYielded(hijack), hijack);
  t.is(convertYielded(hijack).result(), 'original');

  spySeen.length = 0;
  const marker = { then(onFulfilled: (v: number) => void) { onFulfilled(1); } };
  convertYielded(hijack);
  convertYielded(marker);
  t.false(spySeen.includes(hijack));
  t.true(spySeen.includes(marker));
});

test('a registered converter for a kind of thenable wins over the built-in thenable branch', (t) => {
  const thenable = new HijackedThenable();
  const f = convertYielded(thenable);
  t.true(f.done());
  t.is(f.result(), 'registered converter');
  t.is(thenable.thenCalls, 0);
});

test('a registered converter is asked before a plain object goes to multi', (t) => {
  const f = convertYielded({ special: 'registered' });
  t.true(f.done());
  t.is(f.result(), 'special object');
});

test('a registered converter that returns something other than a Future throws a TypeError naming both', (t) => {
  t.throws(() => convertYielded(new BadConversion()), {
    instanceOf: TypeError,
    message: /convertYielded: a registered converter turned an instance of BadConversion into 42 \(a number\), not a Future/,
  });
});

test('register with arguments that are not functions throws a TypeError naming them', (t) => {
  t.throws(() => convertYielded.register(1 as never, () => resolved(1)), {
    instanceOf: TypeError, message: /convertYielded\.register: expected two functions \(test, convert\), got 1 \(a number\) and function/,
  });
  t.throws(() => convertYielded.register(() => true, 'convert' as never), {
    instanceOf: TypeError, message: /got function .* and "convert" \(a string\)/,
  });
  t.throws(() => convertYielded.register(undefined as never, undefined as never), { instanceOf: TypeError, message: /got undefined and undefined/ });
  t.is(convertYielded.register.length, 2);
});

// --- what is not yieldable -----------------------------------------------------------

test('convertYielded(42) throws BadYieldError synchronously, naming the value', (t) => {
  t.throws(() => convertYielded(42), { instanceOf: BadYieldError, message: /convertYielded: yielded unknown object 42 \(a number\)/ });
  t.throws(() => convertYielded('text'), { instanceOf: BadYieldError, message: /unknown object "text" \(a string\)/ });
  t.throws(() => convertYielded(false), { instanceOf: BadYieldError, message: /unknown object false \(a boolean\)/ });
  t.throws(() => convertYielded(function named() {}), { instanceOf: BadYieldError, message: /unknown object function named/ });
  t.throws(() => convertYielded(new Map()), { instanceOf: BadYieldError, message: /unknown object an instance of Map/ });
  t.throws(() => convertYielded({ then: 'not callable' } as unknown), { instanceOf: BadYieldError, message: /unknown object/ });
});

test('a YieldPoint cannot be converted: BadYieldError', (t) => {
  t.throws(() => convertYielded(new Wait('k')), { instanceOf: BadYieldError, message: /a YieldPoint cannot become a Future/ });
});
