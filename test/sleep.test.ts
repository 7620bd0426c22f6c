import test from 'ava';
import { Future, IOLoop, coroutine, sleep } from 'gencoro';
import { withLoop } from './helpers/loop.js';

test('sleep(ms) gives a pending Future that resolves with undefined after ms on the virtual clock', (t) => {
  withLoop((loop) => {
    const f = sleep(60000);
    t.true(f instanceof Future);
    t.false(f.done());
    const times: number[] = [];
    f.addDoneCallback(() => { times.push(loop.time()); });
    t.is(loop.runSync(() => f), undefined);
    t.deepEqual(times, [60000]);
    t.is(f.result(), undefined);
    t.is(f.exception(), undefined);
  });
});

test('a coroutine yielding sleep(ms) resumes ms later', (t) => {
  withLoop((loop) => {
    const run = coroutine(function* () {
      const before = loop.time();
      const value: unknown = yield sleep(250);
      const middle = loop.time();
      yield sleep(750);
      return { before, value, middle, after: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { before: 0, value: undefined, middle: 250, after: 1000 });
  });
});

test('sleep(0) resolves on the next loop iteration, never synchronously', (t) => {
  withLoop((loop) => {
    const f = sleep(0);
    t.false(f.done());
    t.is(loop.runOnce(), -1);
    t.true(f.done());
    t.is(loop.time(), 0);
  });
});

test('several sleeps finish in deadline order, and sleeps with equal deadlines in call order', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const start = (name: string, ms: number) => {
      sleep(ms).addDoneCallback(() => { order.push(name + '@' + loop.time()); });
    };
    start('a', 30);
    start('b', 10);
    start('c', 20);
    start('d', 10);
    start('e', 0);
    start('f', 10);
    loop.runSync(() => sleep(40));
    t.deepEqual(order, ['e@0', 'b@10', 'd@10', 'f@10', 'c@20', 'a@30']);
  });
});

test('coroutines sleeping for different times wake in deadline order', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const sleeper = coroutine(function* (name: string, ms: number) {
      yield sleep(ms);
      order.push(name);
      yield sleep(ms);
      order.push(name + '2');
    });
    loop.runSync(() => [sleeper('slow', 30), sleeper('fast', 20)]);
    t.deepEqual(order, ['fast', 'slow', 'fast2', 'slow2']);
    t.is(loop.time(), 60);
  });
});

test('calling sleep without waiting for it has no visible effect', (t) => {
  withLoop((loop, logs) => {
    const ignored = sleep(1000);
    t.false(ignored.done());
    const run = coroutine(function* () {
      yield sleep(10);
      return loop.time();
    });
    t.is(loop.runSync(() => run()), 10);
    t.is(loop.time(), 10);
    t.false(ignored.done());
    t.deepEqual(logs, []);
  });
});

test('sleep schedules on the loop current when it is called', (t) => {
  withLoop((loop) => {
    const other = new IOLoop({ clock: 'virtual', standalone: true });
    other.makeCurrent();
    const f = sleep(5);
    loop.makeCurrent();
    t.is(loop.runOnce(), -1);
    t.false(f.done());
    other.runOnce();
    t.true(f.done());
    t.is(other.time(), 5);
    t.is(loop.time(), 0);
  });
});

test('a negative, NaN, infinite or non-number duration throws a TypeError naming the value', (t) => {
  withLoop((loop) => {
    const message = (what: string) => new RegExp('sleep: ms must be a non-negative finite number, got ' + what);
    t.throws(() => sleep(-1), { instanceOf: TypeError, message: message('-1 \\(a number\\)') });
    t.throws(() => sleep(NaN), { instanceOf: TypeError, message: message('NaN \\(a number\\)') });
    t.throws(() => sleep(Infinity), { instanceOf: TypeError, message: message('Infinity \\(a number\\)') });
    t.throws(() => sleep('10' as never), { instanceOf: TypeError, message: message('"10" \\(a string\\)') });
    t.throws(() => sleep(undefined as never), { instanceOf: TypeError, message: message('undefined') });
    t.throws(() => sleep(null as never), { instanceOf: TypeError, message: message('null') });
    t.is(loop.runOnce(), -1, 'nothing was scheduled');
  });
});
