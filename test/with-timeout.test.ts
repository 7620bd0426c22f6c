import test from 'ava';
import { BadYieldError, Future, IOLoop, TimeoutError, Wait, coroutine, moment, sleep, withTimeout } from 'gencoro';
import { doneTimes, failLater, failed, later, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

class QuietError extends Error {}
class OtherQuietError extends Error {}

// --- the work finishes first ----------------------------------------------------------

test('withTimeout resolves with the value when the work finishes first, and removes its timer', (t) => {
  withLoop((loop, logs) => {
    const r = withTimeout(100, later(10, 'value'));
    const times = doneTimes(loop, r);
    t.false(r.done());
    t.is(loop.runSync(() => r), 'value');
    t.deepEqual(times, [10]);
    t.is(loop.runOnce(), -1, 'no timer is left on the loop');
    t.is(loop.time(), 10, 'the virtual clock never jumped to the deadline');
    t.deepEqual(logs, []);
  });
});

test('withTimeout follows a failure of the work that comes first, with the same error, and removes its timer', (t) => {
  withLoop((loop, logs) => {
    const error = new RangeError('work failed');
    const r = withTimeout(100, failLater(10, error));
    const times = doneTimes(loop, r);
    t.is(t.throws(() => loop.runSync(() => r)), error);
    t.deepEqual(times, [10]);
    t.is(loop.runOnce(), -1);
    t.is(loop.time(), 10);
    t.deepEqual(logs, []);
  });
});

test('withTimeout resolves synchronously inside the work\'s setResult', (t) => {
  withLoop((loop) => {
    const work = new Future<number>();
    const r = withTimeout(50, work);
    work.setResult(5);
    t.true(r.done());
    t.is(r.result(), 5);
    t.is(loop.runOnce(), -1);
  });
});

test('withTimeout of work that is already done gives a Future that is already done, and leaves no timer', (t) => {
  withLoop((loop) => {
    const ok = withTimeout(10, resolved('ready'));
    t.true(ok.done());
    t.is(ok.result(), 'ready');

    const error = new Error('already failed');
    const bad = withTimeout(10, failed(error));
    t.true(bad.done());
    t.is(bad.exception(), error);

    t.is(loop.runOnce(), -1);
    t.is(loop.time(), 0);
  });
});

// --- the deadline passes first --------------------------------------------------------

test('withTimeout fails with TimeoutError when the timeout passes first, at that virtual time', (t) => {
  withLoop((loop, logs) => {
    const r = withTimeout(30, later(100, 'too late'));
    const times = doneTimes(loop, r);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError, message: /withTimeout: timed out after 30 ms/ });
    t.deepEqual(times, [30]);
    t.is(loop.time(), 30);
    t.deepEqual(logs, []);
  });
});

test('a timeout of 0 fails on the next loop iteration, not synchronously', (t) => {
  withLoop((loop) => {
    const r = withTimeout(0, new Future());
    t.false(r.done());
    loop.runOnce();
    t.true(r.done());
    t.true(r.exception() instanceof TimeoutError);
    t.is(loop.time(), 0);
  });
});

test('{ deadline } is an absolute time on IOLoop.time()', (t) => {
  withLoop((loop) => {
    loop.runSync(() => sleep(50));
    t.is(loop.time(), 50);
    const r = withTimeout({ deadline: 80 }, later(100, 'late'));
    const times = doneTimes(loop, r);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError, message: /timed out after the deadline 80/ });
    t.deepEqual(times, [80]);

    const ok = withTimeout({ deadline: 200 }, later(10, 'in time'));
    t.is(loop.runSync(() => ok), 'in time');
    t.is(loop.time(), 90);
  });
});

test('a { deadline } already in the past fails on the next loop iteration, without moving the clock', (t) => {
  withLoop((loop) => {
    loop.runSync(() => sleep(50));
    const r = withTimeout({ deadline: 10 }, new Future());
    t.false(r.done());
    loop.runOnce();
    t.true(r.done());
    t.true(r.exception() instanceof TimeoutError);
    t.is(loop.time(), 50);

    const now = withTimeout({ deadline: loop.time() }, new Future());
    t.false(now.done());
    loop.runOnce();
    t.true(now.exception() instanceof TimeoutError);
  });
});

test('the wrapped work is not cancelled: it still runs to completion after the timeout', (t) => {
  withLoop((loop) => {
    const steps: string[] = [];
    const work = coroutine(function* () {
      steps.push('start');
      yield sleep(100);
      steps.push('end at ' + loop.time());
      return 'finished';
    });
    const f = work();
    const r = withTimeout(20, f);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError });
    t.deepEqual(steps, ['start']);
    t.is(loop.runSync(() => f), 'finished');
    t.deepEqual(steps, ['start', 'end at 100']);
    t.true(r.exception() instanceof TimeoutError);
  });
});

test('a late success of the work is dropped silently', (t) => {
  withLoop((loop, logs) => {
    const work = later(100, 'late');
    const r = withTimeout(20, work);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError });
    t.is(loop.runSync(() => work), 'late');
    t.true(r.exception() instanceof TimeoutError);
    t.deepEqual(logs, []);
  });
});

test('a failure of the work after the timeout is logged as "Exception in Future after timeout" with the error itself', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('failed late');
    const work = failLater(100, error);
    const r = withTimeout(20, work);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError });
    t.deepEqual(logs, []);
    t.is(t.throws(() => loop.runSync(() => work)), error);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in Future after timeout');
    t.is(logs[0].error, error);
    t.true(r.exception() instanceof TimeoutError);
  });
});

test('a failure after the timeout with a value that is not an Error, even undefined, is logged with that value', (t) => {
  withLoop((loop, logs) => {
    const withString = new Future<never>();
    const withUndefined = new Future<never>();
    const r1 = withTimeout(10, withString);
    const r2 = withTimeout(10, withUndefined);
    loop.runSync(() => sleep(20));
    withString.setException('a string');
    withUndefined.setException(undefined);
    t.true(r1.exception() instanceof TimeoutError);
    t.true(r2.exception() instanceof TimeoutError);
    t.deepEqual(logs, [
      { message: 'Exception in Future after timeout', error: 'a string' },
      { message: 'Exception in Future after timeout', error: undefined },
    ]);
  });
});

test('quietExceptions (one class or an array) silences matching failures after the timeout, but not others', (t) => {
  withLoop((loop, logs) => {
    const quiet = failLater(100, new QuietError('quiet'));
    const other = failLater(100, new OtherQuietError('other quiet'));
    const loudError = new TypeError('loud');
    const loud = failLater(100, loudError);
    const r1 = withTimeout(10, quiet, { quietExceptions: QuietError });
    const r2 = withTimeout(10, other, { quietExceptions: [QuietError, OtherQuietError] });
    const r3 = withTimeout(10, loud, { quietExceptions: [QuietError, OtherQuietError] });
    loop.runSync(() => sleep(200));
    for (const r of [r1, r2, r3]) t.true(r.exception() instanceof TimeoutError);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in Future after timeout');
    t.is(logs[0].error, loudError);
    for (const f of [quiet, other, loud]) f.exception();
  });
});

// --- what it accepts -----------------------------------------------------------

test('withTimeout accepts a synchronous thenable, an array, an object and null', (t) => {
  withLoop((loop) => {
    const thenable = { then(onFulfilled: (v: number) => void) { onFulfilled(7); } } as unknown as PromiseLike<number>;
    const fromThenable = withTimeout(10, thenable);
    t.true(fromThenable.done());
    t.is(fromThenable.result(), 7);

    const list = withTimeout(50, [later(10, 1), later(20, 2)]);
    t.deepEqual(loop.runSync(() => list), [1, 2]);
    t.is(loop.time(), 20);

    const object = withTimeout(50, { a: later(5, 'a') });
    t.deepEqual(loop.runSync(() => object), { a: 'a' });

    const nothing = withTimeout(10, null);
    t.true(nothing.done());
    t.is(nothing.result(), undefined);
    const m = withTimeout(10, moment);
    t.true(m.done());
    t.is(loop.runOnce(), -1);
  });
});

test('withTimeout of an array times out when one child is slower than the deadline', (t) => {
  withLoop((loop) => {
    const r = withTimeout(15, [later(10, 1), later(20, 2)]);
    const times = doneTimes(loop, r);
    t.throws(() => loop.runSync(() => r), { instanceOf: TimeoutError });
    t.deepEqual(times, [15]);
  });
});

test.serial('withTimeout accepts a native Promise and follows it on a host-woken loop', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    t.is(await withTimeout(1000, Promise.resolve('promised')), 'promised');
    const error = new Error('rejected');
    t.is(await t.throwsAsync(async () => { await withTimeout(1000, Promise.reject(error)); }), error);
    await t.throwsAsync(async () => { await withTimeout(1000, new Promise(() => {})); }, { instanceOf: TimeoutError });
    t.is(loop.time(), 1000);
  } finally {
    IOLoop.clearCurrent();
  }
});

test('withTimeout of a YieldPoint throws BadYieldError synchronously; so does a non-yieldable value', (t) => {
  withLoop((loop) => {
    t.throws(() => withTimeout(10, new Wait('k')), { instanceOf: BadYieldError, message: /YieldPoint/ });
    t.throws(() => withTimeout(10, 42), { instanceOf: BadYieldError, message: /42 \(a number\)/ });
    t.is(loop.runOnce(), -1);
  });
});

test('a negative, NaN, infinite or non-numeric timeout throws a TypeError naming the value', (t) => {
  withLoop((loop) => {
    const work = new Future();
    const pattern = (what: string) => new RegExp('withTimeout: timeout must be .*got ' + what);
    t.throws(() => withTimeout(-1, work), { instanceOf: TypeError, message: pattern('-1 \\(a number\\)') });
    t.throws(() => withTimeout(NaN, work), { instanceOf: TypeError, message: pattern('NaN \\(a number\\)') });
    t.throws(() => withTimeout(Infinity, work), { instanceOf: TypeError, message: pattern('Infinity \\(a number\\)') });
    t.throws(() => withTimeout('10' as never, work), { instanceOf: TypeError, message: pattern('"10" \\(a string\\)') });
    t.throws(() => withTimeout(null as never, work), { instanceOf: TypeError, message: pattern('null') });
    t.throws(() => withTimeout(undefined as never, work), { instanceOf: TypeError, message: pattern('undefined') });
    t.is(loop.runOnce(), -1);
  });
});

test('a malformed { deadline } throws a TypeError', (t) => {
  withLoop((loop) => {
    const work = new Future();
    const message = /withTimeout: timeout must be .*\{ deadline: <ms on IOLoop.time\(\)> \}, got an object/;
    t.throws(() => withTimeout({} as never, work), { instanceOf: TypeError, message });
    t.throws(() => withTimeout({ deadline: '5' } as never, work), { instanceOf: TypeError, message });
    t.throws(() => withTimeout({ deadline: NaN }, work), { instanceOf: TypeError, message });
    t.throws(() => withTimeout({ deadline: Infinity }, work), { instanceOf: TypeError, message });
    t.throws(() => withTimeout({ deadline: -Infinity }, work), { instanceOf: TypeError, message });
    t.is(loop.runOnce(), -1);
  });
});

test('an unknown option or a non-class quietExceptions throws a TypeError naming it', (t) => {
  withLoop((loop) => {
    const work = new Future();
    t.throws(() => withTimeout(10, work, { quiet: QuietError } as never), {
      instanceOf: TypeError, message: /withTimeout: unknown option "quiet"/,
    });
    t.throws(() => withTimeout(10, work, { quietExceptions: 'QuietError' } as never), {
      instanceOf: TypeError, message: /withTimeout: quietExceptions must be .*"QuietError" \(a string\)/,
    });
    t.is(loop.runOnce(), -1);
  });
});
