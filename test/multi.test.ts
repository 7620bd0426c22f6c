import test from 'ava';
import {
  BadYieldError, Callback, Future, IOLoop, Multi, MultiYieldPoint, Wait, YieldPoint, coroutine, moment, multi,
  multiFuture,
} from 'gencoro';
import { doneTimes, failLater, failed, later, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

class QuietError extends Error {}
class OtherQuietError extends Error {}

// --- shape and order --------------------------------------------------------------

test('multi of an array gives an array of the results in input order, whatever order the children finish in', (t) => {
  withLoop((loop) => {
    const finished: string[] = [];
    const a = later(30, 'a');
    const b = later(10, 'b');
    const c = later(20, 'c');
    for (const [name, f] of [['a', a], ['b', b], ['c', c]] as const) f.addDoneCallback(() => { finished.push(name); });
    const m = multi([a, b, c]);
    const times = doneTimes(loop, m);
    const result = loop.runSync(() => m);
    t.deepEqual(finished, ['b', 'c', 'a']);
    t.deepEqual(result, ['a', 'b', 'c']);
    t.true(Array.isArray(result));
    t.deepEqual(times, [30]);
  });
});

test('multi of a plain object gives a plain object with the same keys and each child\'s result under its key', (t) => {
  withLoop((loop) => {
    const m = multi({ slow: later(20, 1), fast: later(10, 2), done: resolved(3) });
    const result = loop.runSync(() => m);
    t.false(Array.isArray(result));
    t.is(Object.getPrototypeOf(result), Object.prototype);
    t.deepEqual(Object.keys(result).sort(), ['done', 'fast', 'slow']);
    t.is(result.slow, 1);
    t.is(result.fast, 2);
    t.is(result.done, 3);
    t.is(loop.time(), 20);
  });
});

test('nested arrays and objects come back with the same nested shape', (t) => {
  withLoop((loop) => {
    const m = multi([later(10, 1), [later(30, 2), { x: later(20, 3), y: [resolved(4)] }], { z: [] , w: {} }]);
    const result = loop.runSync(() => m);
    t.deepEqual(result, [1, [2, { x: 3, y: [4] }], { z: [], w: {} }]);
    t.true(Array.isArray(result[1]));
    t.true(Array.isArray((result[1] as any)[1].y));
    t.is(loop.time(), 30);
  });
});

test('yielding an array or an object from a coroutine runs the children in parallel and keeps the shape', (t) => {
  withLoop((loop) => {
    const run = coroutine(function* () {
      const list: number[] = yield [later(20, 1), later(10, 2)];
      const startedAt = loop.time();
      const object: { a: string; b: string } = yield { a: later(10, 'x'), b: later(5, 'y') };
      return { list, object, startedAt, endedAt: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { list: [1, 2], object: { a: 'x', b: 'y' }, startedAt: 20, endedAt: 30 });
  });
});

test('null, undefined and moment children resolve to undefined and cost no loop iteration', (t) => {
  withLoop((loop) => {
    const m = multi([null, undefined, moment, resolved(1)]);
    t.true(m.done());
    t.deepEqual(m.result(), [undefined, undefined, undefined, 1]);
    t.is(m.result().length, 4);

    const steps: string[] = [];
    const run = coroutine(function* () {
      steps.push('before');
      const r: unknown[] = yield [moment, null, undefined];
      steps.push('after ' + r.length);
      return r;
    });
    const f = run();
    t.deepEqual(steps, ['before', 'after 3']);
    t.true(f.done());
    t.deepEqual(f.result(), [undefined, undefined, undefined]);
    t.is(loop.runOnce(), -1);
  });
});

test('empty [] and {} resolve at once and keep their shape', (t) => {
  withLoop(() => {
    const list = multi([]);
    t.true(list.done());
    t.deepEqual(list.result(), []);
    t.true(Array.isArray(list.result()));

    const object = multi({});
    t.true(object.done());
    t.deepEqual(object.result(), {});
    t.false(Array.isArray(object.result()));

    t.true(Array.isArray(multiFuture([]).result()));
    t.false(Array.isArray(multiFuture({}).result()));
  });
});

test('a future given more than once puts its value in every position where it appears', (t) => {
  withLoop((loop) => {
    const two = later(10, 2);
    const m = multi([resolved(1), two, later(5, 3), two]);
    t.deepEqual(loop.runSync(() => m), [1, 2, 3, 2]);
    const same = later(7, 'same');
    t.deepEqual(loop.runSync(() => multi({ a: same, b: same })), { a: 'same', b: 'same' });
  });
});

test('children may be thenables, coroutine results and nested multis', (t) => {
  withLoop((loop) => {
    const syncThenable = { then(onFulfilled: (v: string) => void) { onFulfilled('thenable'); } };
    const child = coroutine(function* () {
      yield later(15, null);
      return 'coroutine';
    });
    const m = multi([syncThenable, child(), multi([later(5, 'inner')])]);
    t.deepEqual(loop.runSync(() => m), ['thenable', 'coroutine', ['inner']]);
    t.is(loop.time(), 15);
  });
});

// --- failures -------------------------------------------------------------------

test('after a child fails, multi still waits for every other child before failing', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('early');
    const m = multi([failLater(10, error), later(50, 'slow')]);
    const times = doneTimes(loop, m);
    loop.runSync(() => later(10, null));
    t.is(loop.time(), 10);
    t.false(m.done());
    const thrown = t.throws(() => loop.runSync(() => m));
    t.is(thrown, error);
    t.deepEqual(times, [50]);
    t.deepEqual(logs, []);
  });
});

test('multi fails with the first failure in input order, not the first in time, and logs the other one with the error itself', (t) => {
  withLoop((loop, logs) => {
    const late = new Error('a-late');
    const early = new Error('b-early');
    const m = multi([failLater(30, late), failLater(10, early), later(20, 'ok')]);
    const times = doneTimes(loop, m);
    loop.runSync(() => later(20, null));
    t.deepEqual(logs, [], 'nothing is logged before every child is done');
    const thrown = t.throws(() => loop.runSync(() => m));
    t.is(thrown, late);
    t.deepEqual(times, [30]);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Multiple exceptions in yield list');
    t.is(logs[0].error, early);
  });
});

test('every failure after the first is logged, in input order, each with its own error object', (t) => {
  withLoop((loop, logs) => {
    const errors = [new Error('e0'), new Error('e1'), new Error('e2')];
    const m = multi({ a: failLater(5, errors[0]), b: failLater(1, errors[1]), c: failed(errors[2]) });
    const thrown = t.throws(() => loop.runSync(() => m));
    t.true(errors.includes(thrown as Error));
    t.is(logs.length, 2);
    t.true(logs.every((entry) => entry.message === 'Multiple exceptions in yield list'));
    const logged = logs.map((entry) => entry.error);
    t.deepEqual([thrown, ...logged].map((e) => (e as Error).message).sort(), ['e0', 'e1', 'e2']);
    t.true(logged.every((e) => errors.includes(e as Error) && e !== thrown));

    const list = multi([failed(errors[2]), failed(errors[0]), failed(errors[1])]);
    t.is(list.exception(), errors[2]);
    t.deepEqual(logs.slice(2).map((entry) => entry.error), [errors[0], errors[1]]);
  });
});

test('a failing future given twice fails multi with its error and is logged for its second position', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('twice');
    const f = failLater(10, error);
    const m = multi([f, f]);
    const thrown = t.throws(() => loop.runSync(() => m));
    t.is(thrown, error);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Multiple exceptions in yield list');
    t.is(logs[0].error, error);
  });
});

test('quietExceptions with one class silences matching secondary failures, but not other ones', (t) => {
  withLoop((loop, logs) => {
    const first = new Error('first');
    const quiet = new QuietError('quiet');
    const loud = new TypeError('loud');
    const m = multi([failLater(10, first), failLater(20, quiet), failLater(5, loud)], { quietExceptions: QuietError });
    t.is(t.throws(() => loop.runSync(() => m)), first);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Multiple exceptions in yield list');
    t.is(logs[0].error, loud);
  });
});

test('quietExceptions with an array of classes silences failures matching any of them, subclasses included', (t) => {
  withLoop((loop, logs) => {
    class SubQuietError extends QuietError {}
    const first = new Error('first');
    const loud = new RangeError('loud');
    const m = multiFuture(
      [failed(first), failed(new QuietError('q')), failed(new OtherQuietError('o')), failed(new SubQuietError('s')), failed(loud)],
      { quietExceptions: [QuietError, OtherQuietError] },
    );
    t.true(m.done());
    t.is(m.exception(), first);
    t.is(logs.length, 1);
    t.is(logs[0].error, loud);
  });
});

test('quietExceptions never silences the first failure: it still fails the multi', (t) => {
  withLoop((loop, logs) => {
    const quiet = new QuietError('first but quiet');
    const loud = new Error('second');
    const m = multi([failLater(10, quiet), later(20, 1), failLater(30, loud)], { quietExceptions: QuietError });
    t.is(t.throws(() => loop.runSync(() => m)), quiet);
    t.is(logs.length, 1);
    t.is(logs[0].error, loud);
  });
});

test('a coroutine yielding a list with a failing child receives the first failure in input order at the right time', (t) => {
  withLoop((loop, logs) => {
    const a = new Error('a');
    const b = new Error('b');
    const run = coroutine(function* () {
      try {
        yield [later(40, 'x'), failLater(20, a), failLater(10, b)];
        return 'no error';
      } catch (e) {
        return { error: e, at: loop.time() };
      }
    });
    const result = loop.runSync(() => run()) as { error: unknown; at: number };
    t.is(result.error, a);
    t.is(result.at, 40);
    t.is(logs.length, 1);
    t.is(logs[0].error, b);
  });
});

// --- synchronous completion -----------------------------------------------------

test('when every child is already done the multi Future is already done, and a coroutine continues synchronously', (t) => {
  withLoop((loop) => {
    const m = multi([resolved(1), resolved('two'), { three: resolved(3) }]);
    t.true(m.done());
    t.deepEqual(m.result(), [1, 'two', { three: 3 }]);

    const error = new Error('already failed');
    const bad = multi([resolved(1), failed(error)]);
    t.true(bad.done());
    t.is(bad.exception(), error);

    const order: string[] = [];
    const run = coroutine(function* () {
      order.push('start');
      const r: number[] = yield [resolved(1), resolved(2)];
      order.push('got ' + r.join(','));
      return r[0] + r[1];
    });
    const f = run();
    order.push('returned');
    t.deepEqual(order, ['start', 'got 1,2', 'returned']);
    t.true(f.done());
    t.is(f.result(), 3);
    t.is(loop.runOnce(), -1);
  });
});

test('multi resolves synchronously inside the last child\'s setResult', (t) => {
  withLoop(() => {
    const a = new Future<number>();
    const b = new Future<number>();
    const m = multi([a, b]);
    b.setResult(2);
    t.false(m.done());
    a.setResult(1);
    t.true(m.done());
    t.deepEqual(m.result(), [1, 2]);
  });
});

// --- names and YieldPoints -----------------------------------------------------------

test('Multi is the same function as multi', (t) => {
  t.is(Multi, multi);
  t.is(typeof Multi, 'function');
});

test('multi with a YieldPoint among the children returns a MultiYieldPoint instead of a Future', (t) => {
  withLoop(() => {
    const point = multi([new Wait('k'), resolved(1)]) as unknown;
    t.true(point instanceof MultiYieldPoint);
    t.true(point instanceof YieldPoint);
    t.false(point instanceof Future);
    const keyed = multi({ a: new Wait('k') }) as unknown;
    t.true(keyed instanceof MultiYieldPoint);
    t.true(multi([resolved(1)]) instanceof Future);
  });
});

test('a coroutine yielding multi([Wait, future]) gets both results in input order', (t) => {
  withLoop((loop) => {
    const run = coroutine(function* () {
      const cb: (value: string) => void = yield new Callback('k');
      loop.callLater(10, () => { cb('from callback'); });
      const r: unknown[] = yield multi([new Wait('k'), later(20, 'from future')]);
      return { r, at: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { r: ['from callback', 'from future'], at: 20 });
  });
});

test('multiFuture with a YieldPoint child throws BadYieldError', (t) => {
  withLoop(() => {
    t.throws(() => multiFuture([new Wait('k')]), { instanceOf: BadYieldError, message: /YieldPoint/ });
  });
});

// --- bad input -----------------------------------------------------------------

test('multi of something that is neither an array nor a plain object throws a TypeError naming it', (t) => {
  withLoop(() => {
    class Box {}
    t.throws(() => multi(42 as never), { instanceOf: TypeError, message: /multi: .*array or a plain object.*got 42 \(a number\)/ });
    t.throws(() => multi('abc' as never), { instanceOf: TypeError, message: /got "abc" \(a string\)/ });
    t.throws(() => multi(new Box() as never), { instanceOf: TypeError, message: /got an instance of Box/ });
    t.throws(() => multi(null as never), { instanceOf: TypeError, message: /got null/ });
    t.throws(() => multi(resolved(1) as never), { instanceOf: TypeError, message: /got an instance of Future/ });
    t.throws(() => multiFuture(7 as never), { instanceOf: TypeError, message: /multiFuture: .*got 7 \(a number\)/ });
  });
});

test('an unknown option key or non-object options throw a TypeError naming them', (t) => {
  withLoop(() => {
    t.throws(() => multi([], { quiet: QuietError } as never), { instanceOf: TypeError, message: /multi.*unknown option "quiet"/ });
    t.throws(() => multiFuture({}, { quietException: QuietError } as never), {
      instanceOf: TypeError, message: /multiFuture: unknown option "quietException"/,
    });
    t.throws(() => multi([], 5 as never), { instanceOf: TypeError, message: /options must be an object, got 5 \(a number\)/ });
    t.throws(() => multi([new Wait('k')], { bogus: 1 } as never), { instanceOf: TypeError, message: /unknown option "bogus"/ });
  });
});

test('quietExceptions that is not a class or an array of classes throws a TypeError naming the bad value', (t) => {
  withLoop(() => {
    t.throws(() => multi([], { quietExceptions: 'QuietError' } as never), {
      instanceOf: TypeError, message: /quietExceptions must be a class or an array of classes, got "QuietError" \(a string\)/,
    });
    t.throws(() => multi([], { quietExceptions: [QuietError, 5] } as never), {
      instanceOf: TypeError, message: /quietExceptions must be.*got 5 \(a number\)/,
    });
    t.throws(() => multi([], { quietExceptions: new QuietError('x') } as never), {
      instanceOf: TypeError, message: /quietExceptions must be.*got an instance of QuietError/,
    });
  });
});

test('a child that is not yieldable makes multi throw BadYieldError naming it', (t) => {
  withLoop(() => {
    t.throws(() => multi([resolved(1), 42]), { instanceOf: BadYieldError, message: /42 \(a number\)/ });
    t.throws(() => multi({ a: 'text' }), { instanceOf: BadYieldError, message: /"text" \(a string\)/ });
    t.throws(() => multi([[true]]), { instanceOf: BadYieldError, message: /true \(a boolean\)/ });
  });
});

test('a coroutine yielding a list with a non-yieldable child receives BadYieldError in its body', (t) => {
  withLoop((loop) => {
    const run = coroutine(function* () {
      try {
        yield [resolved(1), Symbol('odd')];
        return 'no error';
      } catch (e) {
        return e;
      }
    });
    const f = run();
    t.true(f.done());
    const error = f.result();
    t.true(error instanceof BadYieldError);
    t.regex((error as Error).message, /Symbol\(odd\) \(a symbol\)/);
    t.is(loop.runOnce(), -1);
  });
});

test('an own "__proto__" key stays a key of the result (multi and MultiYieldPoint), and the result keeps Object.prototype', (t) => {
  const input = JSON.parse('{"__proto__": 0, "a": 0}') as Record<string, unknown>;
  const done = (v: unknown) => { const f = new Future(); f.setResult(v); return f; };
  input['__proto__'] = done({ x: 1 });
  input.a = done(2);
  const r = multi(input as Record<string, Future<unknown>>).result() as Record<string, unknown>;
  t.deepEqual(Object.keys(r), ['__proto__', 'a']);
  t.is(Object.getPrototypeOf(r), Object.prototype);
  t.deepEqual(Object.getOwnPropertyDescriptor(r, '__proto__')!.value, { x: 1 });
  const viaPoint = new IOLoop({ clock: 'virtual' }).runSync(coroutine(function* () {
    return (yield new MultiYieldPoint(input)) as Record<string, unknown>;
  }));
  t.deepEqual(Object.keys(viaPoint), ['__proto__', 'a']);
  t.is(Object.getPrototypeOf(viaPoint), Object.prototype);
});
