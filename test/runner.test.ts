import test from 'ava';
import {
  coroutine, BadYieldError, Callback, Future, MultiYieldPoint, Wait, YieldPoint, type RunnerHandle,
  maybeFuture, moment, multi, sleep,
} from 'gencoro';
import { withLoop } from './helpers/loop.js';

// ---------------------------------------------------------------------------
// Values that cannot be yielded

class Widget {}

const notYieldable: Array<[string, unknown, RegExp[]]> = [
  ['the number 42', 42, [/\b42\b/, /number/]],
  ['a string', 'hello', [/"hello"/, /string/]],
  ['a class instance', new Widget(), [/Widget/, /instance/]],
  ['a Symbol', Symbol('tag'), [/Symbol\(tag\)/, /symbol/]],
];

for (const [what, value, patterns] of notYieldable) {
  test(`yielding ${what} fails the coroutine with a BadYieldError naming the value and its type`, (t) => {
    withLoop((loop) => {
      const f = coroutine(function* () {
        yield value;
        return 'not reached';
      });
      const result = f();
      t.true(result.done());
      const error = result.exception();
      t.true(error instanceof BadYieldError);
      for (const pattern of patterns) t.regex((error as Error).message, pattern);
      // The same through the loop.
      t.throws(() => loop.runSync(() => f()), { any: true, instanceOf: BadYieldError });
    });
  });

  test(`yielding ${what} throws the BadYieldError into the body, where try/catch catches it`, (t) => {
    withLoop((loop) => {
      const f = coroutine(function* () {
        let caught: unknown;
        try {
          yield value;
        } catch (e) {
          caught = e;
        }
        yield sleep(1);
        return caught;
      });
      const caught = loop.runSync(() => f());
      t.true(caught instanceof BadYieldError);
    });
  });
}

// ---------------------------------------------------------------------------
// moment and yield null

/** Runs two coroutines side by side; each appends its name `n` times, yielding `step()` after each. */
function interleave(loop: { runSync<T>(fn: () => T): unknown }, a: () => unknown, b: () => unknown): string {
  let out = '';
  const run = coroutine(function* (name: string, step: () => unknown) {
    for (let i = 0; i < 5; i++) {
      out += name;
      yield step();
    }
  });
  loop.runSync(() => multi([run('a', a), run('b', b)]));
  return out;
}

test('two coroutines yielding ready futures print aaaaabbbbb', (t) => {
  withLoop((loop) => {
    t.is(interleave(loop, () => maybeFuture(1), () => maybeFuture(2)), 'aaaaabbbbb');
  });
});

test('two coroutines yielding moment print ababababab', (t) => {
  withLoop((loop) => {
    t.is(interleave(loop, () => moment, () => moment), 'ababababab');
  });
});

test('a coroutine yielding moment beside one yielding ready futures prints abbbbbaaaa', (t) => {
  withLoop((loop) => {
    t.is(interleave(loop, () => moment, () => maybeFuture(0)), 'abbbbbaaaa');
  });
});

test('moment inside a yielded list is an ordinary done Future and costs no loop iteration', (t) => {
  withLoop((loop) => {
    t.is(interleave(loop, () => [moment], () => [moment, null]), 'aaaaabbbbb');
  });
});

test('yielding null or undefined costs one loop iteration, like moment', (t) => {
  withLoop((loop) => {
    t.is(interleave(loop, () => null, () => null), 'ababababab');
    t.is(interleave(loop, () => undefined, () => moment), 'ababababab');
    t.is(interleave(loop, () => null, () => maybeFuture(0)), 'abbbbbaaaa');
  });
});

test('a bare `yield` costs one loop iteration, like moment', (t) => {
  withLoop((loop) => {
    let out = '';
    const bare = coroutine(function* () {
      for (let i = 0; i < 5; i++) {
        out += 'a';
        yield;
      }
    });
    const withMoment = coroutine(function* () {
      for (let i = 0; i < 5; i++) {
        out += 'b';
        yield moment;
      }
    });
    loop.runSync(() => multi([bare(), withMoment()]));
    t.is(out, 'ababababab');
  });
});

test('yield null resumes the body with undefined in the next loop iteration', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      const v: unknown = yield null;
      order.push('resumed with ' + v);
    });
    loop.runSync(() => {
      loop.addCallback(() => { order.push('queued before'); });
      f();
      order.push('call returned');
      loop.addCallback(() => { order.push('queued after'); });
      return sleep(1);
    });
    t.deepEqual(order, ['call returned', 'queued before', 'resumed with undefined', 'queued after']);
  });
});

// ---------------------------------------------------------------------------
// Pending futures

test('a pending Future resumes the coroutine one loop callback after it completes, never inside setResult', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const gate = new Future<string>();
    const f = coroutine(function* () {
      const v: string = yield gate;
      order.push('coroutine resumed with ' + v);
    });
    const result = f();
    loop.addCallback(() => {
      gate.setResult('x');
      order.push('code after setResult');
      loop.addCallback(() => { order.push('callback added after setResult'); });
    });
    loop.runSync(() => result);
    t.deepEqual(order, ['code after setResult', 'coroutine resumed with x', 'callback added after setResult']);
  });
});

test('a failed pending Future also resumes the coroutine one loop callback after it fails', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const gate = new Future<string>();
    const error = new Error('gate failed');
    const f = coroutine(function* () {
      try {
        yield gate;
      } catch (e) {
        order.push('caught ' + (e === error));
      }
    });
    const result = f();
    loop.addCallback(() => {
      gate.setException(error);
      order.push('code after setException');
      loop.addCallback(() => { order.push('callback added after setException'); });
    });
    loop.runSync(() => result);
    t.deepEqual(order, ['code after setException', 'caught true', 'callback added after setException']);
  });
});

test('a chain of four nested pending coroutines, with a yielded list between each pair, unwinds one loop iteration per level', (t) => {
  withLoop((loop) => {
    const gate = new Future<number>();
    let iteration = 0;
    const resumedAt: number[] = [];
    const level: (n: number) => Future<number> = coroutine(function* (n: number) {
      const [below]: number[] = yield [n === 0 ? gate : level(n - 1)];
      resumedAt.push(iteration);
      return below + 1;
    });
    const top = level(3);
    loop.addCallback(() => {
      gate.setResult(0);
      const tick = () => {
        iteration++;
        if (iteration < 10) loop.addCallback(tick);
      };
      loop.addCallback(tick);
    });
    t.is(loop.runSync(() => top), 4);
    t.deepEqual(resumedAt, [0, 1, 2, 3]);
  });
});

test('a failed Future is thrown at the yield, where the body can catch it and continue', (t) => {
  withLoop((loop) => {
    const error = new Error('child failed');
    const failing = coroutine(function* () {
      yield sleep(5);
      throw error;
    });
    const f = coroutine(function* () {
      let caught: unknown;
      try {
        yield failing();
      } catch (e) {
        caught = e;
      }
      const after: number = yield sleep(5).then(() => 7);
      return [caught, after];
    });
    const [caught, after] = loop.runSync(() => f()) as [unknown, number];
    t.is(caught, error);
    t.is(after, 7);
  });
});

test('a failed Future the body does not catch fails the coroutine with the same error', (t) => {
  withLoop((loop) => {
    const error = new Error('uncaught');
    const g = coroutine(function* () {
      const failed = new Future<number>();
      loop.callLater(1, () => { failed.setException(error); });
      yield failed;
      return 'not reached';
    });
    t.is(t.throws(() => loop.runSync(() => g())), error);
  });
});

test('a yielded native Promise resumes the coroutine on a host-woken loop', async (t) => {
  const error = new Error('rejected');
  const result = withLoop(() => {
    const f = coroutine(function* () {
      const a: number = yield Promise.resolve(20);
      let caught: unknown;
      try {
        yield Promise.reject(error);
      } catch (e) {
        caught = e;
      }
      const b: number = yield new Promise<number>((resolve) => { setImmediate(() => { resolve(22); }); });
      return [a + b, caught];
    });
    return f();
  });
  t.false(result.done());
  const [sum, caught] = await new Promise<[number, unknown]>((resolve, reject) => {
    result.addDoneCallback((done) => {
      const e = done.exception();
      if (e !== undefined) reject(e);
      else resolve(done.result() as [number, unknown]);
    });
  });
  t.is(sum, 42);
  t.is(caught, error);
});

// ---------------------------------------------------------------------------
// No stack growth

test('a million ready yields in one coroutine complete without stack overflow and with the right count', (t) => {
  withLoop(() => {
    const ready = maybeFuture(1);
    const f = coroutine(function* () {
      let count = 0;
      for (let i = 0; i < 1000000; i++) count += (yield ready) as number;
      return count;
    });
    const result = f();
    t.true(result.done());
    t.is(result.exception(), undefined);
    t.is(result.result(), 1000000);
  });
});

test('a chain of 100,000 nested coroutine completions finishes without stack overflow', (t) => {
  withLoop((loop) => {
    const level: (n: number) => Future<number> = coroutine(function* (n: number) {
      yield moment; // so that creating the chain does not recurse either
      if (n === 0) return 0;
      const child: number = yield level(n - 1);
      return child + 1;
    });
    t.is(loop.runSync(() => level(100000)), 100000);
  });
});

test('a chain of 100,000 coroutines all waiting on one Future unwinds without stack overflow', (t) => {
  withLoop((loop) => {
    const gate = new Future<number>();
    const level: (n: number) => Future<number> = coroutine(function* (n: number) {
      yield sleep(0);
      const below: number = n === 0 ? yield gate : yield level(n - 1);
      return below + 1;
    });
    const top = level(100000);
    loop.callLater(10, () => { gate.setResult(0); });
    t.is(loop.runSync(() => top), 100001);
  });
});

// ---------------------------------------------------------------------------
// Generator semantics kept

test('a generator `finally` block runs when the body returns', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      try {
        yield sleep(1);
        order.push('return');
        return 'done';
      } finally {
        order.push('finally');
      }
    });
    t.is(loop.runSync(() => f()), 'done');
    t.deepEqual(order, ['return', 'finally']);
  });
});

test('a generator `finally` block runs when the body throws, and the error still fails the Future', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const error = new Error('thrown in try');
    const f = coroutine(function* () {
      try {
        yield sleep(1);
        throw error;
      } finally {
        order.push('finally');
      }
    });
    t.is(t.throws(() => loop.runSync(() => f())), error);
    t.deepEqual(order, ['finally']);
  });
});

test('a generator `finally` block runs when a failed Future is thrown in at the yield', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const error = new Error('from the future');
    const failed = new Future<never>();
    const f = coroutine(function* () {
      try {
        yield failed;
        order.push('not reached');
      } finally {
        order.push('finally');
      }
    });
    const result = f();
    loop.callLater(1, () => { failed.setException(error); });
    t.is(t.throws(() => loop.runSync(() => result)), error);
    t.deepEqual(order, ['finally']);
  });
});

test('a `return` inside `finally` overrides the error thrown in `try`', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      try {
        yield sleep(1);
        throw new Error('overridden');
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        return 'from finally';
      }
    });
    t.is(loop.runSync(() => f()), 'from finally');
  });
});

// ---------------------------------------------------------------------------
// Arrays and objects

test('yielding an array or object of futures gives their results in the same shape', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const list: unknown = yield [sleep(2).then(() => 'x'), maybeFuture('y')];
      const dict: unknown = yield { a: maybeFuture(1), b: sleep(1).then(() => 2) };
      const empty: unknown = yield [];
      return [list, dict, empty];
    });
    t.deepEqual(loop.runSync(() => f()), [['x', 'y'], { a: 1, b: 2 }, []]);
  });
});

test('yielding an array or object that contains a YieldPoint goes through MultiYieldPoint', (t) => {
  withLoop((loop) => {
    const original = MultiYieldPoint.prototype.start;
    const started: unknown[] = [];
    MultiYieldPoint.prototype.start = function (this: MultiYieldPoint, runner: RunnerHandle) {
      started.push(this);
      return original.call(this, runner);
    };
    try {
      const f = coroutine(function* () {
        const [cb, value]: [(v: string) => void, number] = yield [new Callback('k'), maybeFuture(5)];
        cb('called');
        const waited: { w: string; n: number } = yield { w: new Wait('k'), n: maybeFuture(6) };
        return [typeof cb, value, waited];
      });
      t.deepEqual(loop.runSync(() => f()), ['function', 5, { w: 'called', n: 6 }]);
      t.is(started.length, 2);
      t.true(started[0] instanceof MultiYieldPoint);
    } finally {
      MultiYieldPoint.prototype.start = original;
    }
  });
});

test('a YieldPoint nested deeper than the top level of a yielded array is not a YieldPoint child', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      try {
        yield [[new Callback('k')]];
      } catch (e) {
        return e;
      }
      return 'not reached';
    });
    const error = loop.runSync(() => f());
    t.true(error instanceof BadYieldError);
  });
});

test('yielding a custom YieldPoint inside an array passes its result through', (t) => {
  class Constant extends YieldPoint {
    constructor(private value: string) { super(); }
    start(): void {}
    isReady(): boolean { return true; }
    getResult(): unknown { return this.value; }
  }
  withLoop((loop) => {
    const f = coroutine(function* () {
      const results: unknown = yield [new Constant('p'), maybeFuture('q'), new Constant('r')];
      return results;
    });
    t.deepEqual(loop.runSync(() => f()), ['p', 'q', 'r']);
  });
});
