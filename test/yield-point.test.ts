import test from 'ava';
import {
  coroutine, engine, multi, Arguments, Callback, Future, IOLoop, KeyReuseError, LeakedCallbackError, MultiYieldPoint,
  UnknownKeyError, Wait, WaitAll, YieldPoint, type RunnerHandle, maybeFuture, sleep,
} from 'gencoro';
import { withLoop } from './helpers/loop.js';

type Cb = (...args: unknown[]) => void;

// ---------------------------------------------------------------------------
// Callback / Wait round trips

const callbackCases: Array<[string, unknown[], (t: import('ava').ExecutionContext, v: unknown) => void]> = [
  ['with no argument gives undefined', [], (t, v) => { t.is(v, undefined); }],
  ['with one argument gives that argument', [42], (t, v) => { t.is(v, 42); }],
  ['with one array argument gives that array, not Arguments', [[1, 2]], (t, v) => { t.deepEqual(v, [1, 2]); }],
  ['with several arguments gives Arguments: the args array and empty kwargs', [1, 'two', null], (t, v) => {
    t.true(v instanceof Arguments);
    t.deepEqual((v as Arguments).args, [1, 'two', null]);
    t.deepEqual((v as Arguments).kwargs, {});
  }],
];

for (const [what, args, check] of callbackCases) {
  test(`calling a Callback's function later ${what}, at the matching Wait`, (t) => {
    withLoop((loop) => {
      const f = coroutine(function* () {
        const cb: Cb = yield new Callback('key');
        loop.callLater(5, () => { cb(...args); });
        const v: unknown = yield new Wait('key');
        return v;
      });
      check(t, loop.runSync(() => f()));
    });
  });
}

test('a Callback yields a function', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      cb();
      yield new Wait('k');
      return cb;
    });
    t.is(typeof loop.runSync(() => f()), 'function');
  });
});

test('a callback invoked while the coroutine waits on its Wait resumes the body synchronously inside the call', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      loop.addCallback(() => {
        order.push('before the call');
        cb(7);
        order.push('after the call');
      });
      const v: number = yield new Wait('k');
      order.push('resumed with ' + v);
    });
    loop.runSync(() => f());
    t.deepEqual(order, ['before the call', 'resumed with 7', 'after the call']);
  });
});

test('a callback invoked before its Wait makes the Wait ready at once, with no loop iteration', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      cb(5);
      const v: number = yield new Wait('k');
      order.push('got ' + v);
    });
    loop.runSync(() => {
      const result = f();
      // The Callback is started in the next iteration; anything queued now runs after it in that iteration.
      loop.addCallback(() => { order.push('queued after the call'); });
      return result;
    });
    t.deepEqual(order, ['got 5', 'queued after the call']);
  });
});

test('WaitAll gives the results in key order, whatever order the callbacks ran in', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const a: Cb = yield new Callback('a');
      const b: Cb = yield new Callback('b');
      const c: Cb = yield new Callback('c');
      c('C');
      loop.callLater(5, () => { b('B'); });
      loop.callLater(10, () => { a('A'); });
      const results: unknown = yield new WaitAll(['a', 'b', 'c']);
      return results;
    });
    t.deepEqual(loop.runSync(() => f()), ['A', 'B', 'C']);
  });
});

test('WaitAll resumes the body synchronously inside the call of the last pending callback', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      const a: Cb = yield new Callback('a');
      const b: Cb = yield new Callback('b');
      loop.addCallback(() => {
        b(2);
        order.push('after b');
        a(1);
        order.push('after a');
      });
      const results: number[] = yield new WaitAll(['a', 'b']);
      order.push('resumed with ' + results.join(','));
    });
    loop.runSync(() => f());
    t.deepEqual(order, ['after b', 'resumed with 1,2', 'after a']);
  });
});

test('a yielded list of Waits gives the results in list order', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const a: Cb = yield new Callback('a');
      const b: Cb = yield new Callback('b');
      loop.callLater(5, () => { b('B'); });
      loop.callLater(10, () => { a('A'); });
      const results: unknown = yield [new Wait('a'), new Wait('b')];
      return results;
    });
    t.deepEqual(loop.runSync(() => f()), ['A', 'B']);
  });
});

// ---------------------------------------------------------------------------
// Keys

test('a Callback whose key is already pending throws KeyReuseError into the body', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      let caught: unknown;
      try {
        yield new Callback('k');
      } catch (e) {
        caught = e;
      }
      cb('first');
      const v: unknown = yield new Wait('k');
      return [caught, v];
    });
    const [caught, v] = loop.runSync(() => f()) as [Error, unknown];
    t.true(caught instanceof KeyReuseError);
    t.regex(caught.message, /"k"/);
    t.regex(caught.message, /already pending/);
    t.is(v, 'first');
  });
});

test('a Wait on a key no Callback registered throws UnknownKeyError into the body', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const caught: unknown[] = [];
      try {
        yield new Wait('nope'); // the first YieldPoint: started one iteration later
      } catch (e) {
        caught.push(e);
      }
      try {
        yield new Wait('nope either'); // a later one: started synchronously
      } catch (e) {
        caught.push(e);
      }
      return caught;
    });
    const caught = loop.runSync(() => f()) as Error[];
    t.is(caught.length, 2);
    t.true(caught[0] instanceof UnknownKeyError);
    t.regex(caught[0].message, /"nope"/);
    t.regex(caught[0].message, /not pending/);
    t.true(caught[1] instanceof UnknownKeyError);
    t.regex(caught[1].message, /"nope either"/);
  });
});

test('a WaitAll with a key no Callback registered throws UnknownKeyError into the body', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('known');
      cb();
      try {
        yield new WaitAll(['known', 'unknown']);
      } catch (e) {
        return e;
      }
      return 'not reached';
    });
    t.true(loop.runSync(() => f()) instanceof UnknownKeyError);
  });
});

test('keys compare by SameValueZero: a NaN key matches NaN', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback(NaN);
      cb('nan');
      const v: unknown = yield new Wait(NaN);
      return v;
    });
    t.is(loop.runSync(() => f()), 'nan');
  });
});

test('keys compare by SameValueZero: a key 0 matches -0, and -0 is then reused as 0', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback(0);
      let reuse: unknown;
      try {
        yield new Callback(-0);
      } catch (e) {
        reuse = e;
      }
      cb('zero');
      const v: unknown = yield new Wait(-0);
      return [v, reuse];
    });
    const [v, reuse] = loop.runSync(() => f()) as [unknown, unknown];
    t.is(v, 'zero');
    t.true(reuse instanceof KeyReuseError);
  });
});

test('keys compare by SameValueZero: two different arrays with the same contents are different keys', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const key = [1, 2];
      const cb: Cb = yield new Callback(key);
      cb('by identity');
      let caught: unknown;
      try {
        yield new Wait([1, 2]);
      } catch (e) {
        caught = e;
      }
      const v: unknown = yield new Wait(key);
      return [caught, v];
    });
    const [caught, v] = loop.runSync(() => f()) as [unknown, unknown];
    t.true(caught instanceof UnknownKeyError);
    t.is(v, 'by identity');
  });
});

test('a key can be reused after its Wait', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const results: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const cb: Cb = yield new Callback('same');
        loop.callLater(1, () => { cb(i); });
        results.push(yield new Wait('same'));
      }
      return results;
    });
    t.deepEqual(loop.runSync(() => f()), [0, 1, 2]);
  });
});

// ---------------------------------------------------------------------------
// When YieldPoints start

class Logged extends YieldPoint {
  constructor(private name: string, private order: string[]) {
    super();
  }
  start(): void {
    this.order.push('start ' + this.name);
  }
  isReady(): boolean {
    return true;
  }
  getResult(): unknown {
    return this.name;
  }
}

test('the first YieldPoint a coroutine yields is started one loop iteration later; later ones at once', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      order.push('body start');
      const a: string = yield new Logged('first', order);
      order.push('got ' + a);
      const b: string = yield new Logged('second', order);
      order.push('got ' + b);
    });
    loop.runSync(() => {
      loop.addCallback(() => { order.push('queued before the call'); });
      const result = f();
      order.push('call returned');
      loop.addCallback(() => { order.push('queued after the call'); });
      return result;
    });
    t.deepEqual(order, [
      'body start',
      'call returned',
      'queued before the call',
      'start first',
      'got first',
      'start second',
      'got second',
      'queued after the call',
    ]);
  });
});

test('each run of a coroutine starts its first YieldPoint one iteration later', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* (name: string) {
      yield new Logged(name, order);
      order.push('after ' + name);
    });
    loop.runSync(() => {
      const a = f('one');
      const b = f('two');
      order.push('both called');
      return multi([a, b]);
    });
    t.deepEqual(order, ['both called', 'start one', 'after one', 'start two', 'after two']);
  });
});

// ---------------------------------------------------------------------------
// Leaked and orphaned callbacks

test('a coroutine that finishes with a Callback never waited for fails with LeakedCallbackError', (t) => {
  withLoop((loop, logs) => {
    const f = coroutine(function* () {
      yield new Callback('forgotten');
      return 1;
    });
    const result = f();
    const error = t.throws(() => loop.runSync(() => result), { any: true, instanceOf: LeakedCallbackError }) as Error;
    t.regex(error.message, /"forgotten"/);
    t.true(result.done());
    t.is(result.exception(), error);
    t.deepEqual(logs, []);
  });
});

test('a coroutine that finishes with a pending Callback after an exception was thrown into it does not leak (4.5)', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      yield new Callback('forgotten');
      try {
        const failing = new Future<never>();
        loop.callLater(1, () => { failing.setException(new Error('thrown in')); });
        yield failing;
      } catch (e) {
        // ignored
      }
      return 'fine';
    });
    t.is(loop.runSync(() => f()), 'fine');
  });
});

test('an orphaned callback called after its coroutine finished is a harmless no-op', (t) => {
  withLoop((loop, logs) => {
    let orphan: Cb | undefined;
    const f = coroutine(function* () {
      orphan = yield new Callback(1);
    });
    const result = f();
    t.throws(() => loop.runSync(() => result), { any: true, instanceOf: LeakedCallbackError });
    const error = result.exception();
    t.notThrows(() => { orphan!(); });
    t.notThrows(() => { orphan!('again', 2); });
    loop.runSync(() => sleep(1));
    t.is(result.exception(), error);
    t.deepEqual(logs, []);
  });
});

test('an engine that leaks a Callback logs the LeakedCallbackError, and its orphaned callback is a no-op', (t) => {
  withLoop((loop, logs) => {
    let orphan: Cb | undefined;
    const e = engine(function* () {
      orphan = yield new Callback(1);
    });
    t.notThrows(() => e());
    loop.runSync(() => sleep(1));
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback for Future');
    t.true(logs[0].error instanceof LeakedCallbackError);
    t.notThrows(() => { orphan!(); });
    loop.runSync(() => sleep(1));
    t.is(logs.length, 1);
  });
});

test('a callback called again after its Wait finished and the coroutine returned is a harmless no-op', (t) => {
  withLoop((loop, logs) => {
    let saved: Cb | undefined;
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      saved = cb;
      cb('once');
      const v: unknown = yield new Wait('k');
      return v;
    });
    const result = f();
    t.is(loop.runSync(() => result), 'once');
    t.notThrows(() => { saved!('twice'); });
    t.is(result.result(), 'once');
    t.deepEqual(logs, []);
  });
});

// ---------------------------------------------------------------------------
// MultiYieldPoint

test('multi() of children that include a YieldPoint returns a MultiYieldPoint', (t) => {
  t.true(multi([maybeFuture(1), new Wait('k')]) instanceof MultiYieldPoint);
  t.true(multi({ a: new Wait('k') }) instanceof MultiYieldPoint);
  t.false(multi([maybeFuture(1)]) instanceof MultiYieldPoint);
});

test('a MultiYieldPoint mixing pending Futures, done Futures and Waits gives the results in input order', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      const pending = new Future<string>();
      loop.callLater(10, () => { pending.setResult('future'); });
      loop.callLater(5, () => { cb('callback'); });
      const list: unknown = yield [pending, new Wait('k'), maybeFuture('ready')];
      const cb2: Cb = yield new Callback('k2');
      loop.callLater(5, () => { cb2('callback 2'); });
      const dict: unknown = yield new MultiYieldPoint({ w: new Wait('k2'), s: sleep(10).then(() => 'slept') });
      return [list, dict];
    });
    t.deepEqual(loop.runSync(() => f()), [['future', 'callback', 'ready'], { w: 'callback 2', s: 'slept' }]);
  });
});

test('a MultiYieldPoint fails with its first failure in input order and logs the others', (t) => {
  withLoop((loop, logs) => {
    const first = new Error('first');
    const second = new Error('second');
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      const a = new Future<never>();
      const b = new Future<never>();
      loop.callLater(5, () => { b.setException(second); });
      loop.callLater(10, () => { a.setException(first); });
      loop.callLater(15, () => { cb(); });
      yield [a, b, new Wait('k')];
    });
    t.is(t.throws(() => loop.runSync(() => f())), first);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Multiple exceptions in yield list');
    t.is(logs[0].error, second);
  });
});

test('a MultiYieldPoint with quietExceptions does not log matching secondary failures', (t) => {
  withLoop((loop, logs) => {
    const first = new Error('first');
    const f = coroutine(function* () {
      const cb: Cb = yield new Callback('k');
      cb();
      const a = new Future<never>();
      const b = new Future<never>();
      loop.callLater(5, () => { a.setException(first); b.setException(new RangeError('quiet')); });
      yield new MultiYieldPoint([a, b, new Wait('k')], { quietExceptions: RangeError });
    });
    t.is(t.throws(() => loop.runSync(() => f())), first);
    t.deepEqual(logs, []);
  });
});

// ---------------------------------------------------------------------------
// Custom YieldPoints and the base class

/** Completes after `ms` on the current loop, through the runner's callback keys. */
class After extends YieldPoint {
  private runner: RunnerHandle | null = null;
  constructor(private ms: number, private value: string) {
    super();
  }
  start(runner: RunnerHandle): void {
    this.runner = runner;
    runner.registerCallback(this);
    IOLoop.current().callLater(this.ms, runner.resultCallback(this), this.value);
  }
  isReady(): boolean {
    return this.runner!.isReady(this);
  }
  getResult(): unknown {
    return this.runner!.popResult(this);
  }
}

test('a custom YieldPoint subclass that is ready at once gives its result', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      const a: unknown = yield new Logged('custom', order);
      return a;
    });
    t.is(loop.runSync(() => f()), 'custom');
    t.deepEqual(order, ['start custom']);
  });
});

test('a custom YieldPoint subclass can complete later through the runner handle', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      const a: unknown = yield new After(10, 'later');
      const b: unknown = yield new After(5, 'sooner');
      return [a, b, loop.time()];
    });
    t.deepEqual(loop.runSync(() => f()), ['later', 'sooner', 15]);
  });
});

test('an error thrown by a YieldPoint\'s getResult is thrown into the body', (t) => {
  class Broken extends YieldPoint {
    start(): void {}
    isReady(): boolean { return true; }
    getResult(): unknown { throw new SyntaxError('broken result'); }
  }
  withLoop((loop) => {
    const f = coroutine(function* () {
      try {
        yield new Broken();
      } catch (e) {
        return e;
      }
      return 'not reached';
    });
    const caught = loop.runSync(() => f()) as Error;
    t.true(caught instanceof SyntaxError);
    t.is(caught.message, 'broken result');
  });
});

test('the base YieldPoint methods throw "must implement"', (t) => {
  const point = new YieldPoint();
  const runner = {} as RunnerHandle;
  t.throws(() => point.start(runner), { message: /must implement start\(runner\)/ });
  t.throws(() => point.isReady(), { message: /must implement isReady\(\)/ });
  t.throws(() => point.getResult(), { message: /must implement getResult\(\)/ });
});

test('yielding a bare YieldPoint throws the "must implement" error into the body', (t) => {
  withLoop((loop) => {
    const f = coroutine(function* () {
      try {
        yield new YieldPoint();
      } catch (e) {
        return e;
      }
      return 'not reached';
    });
    const caught = loop.runSync(() => f()) as Error;
    t.true(caught instanceof Error);
    t.regex(caught.message, /must implement start\(runner\)/);
  });
});

test('a YieldPoint subclass that does not implement isReady fails with "must implement isReady()"', (t) => {
  class Partial extends YieldPoint {
    start(): void {}
  }
  withLoop((loop) => {
    const f = coroutine(function* () {
      yield new Partial();
    });
    const error = t.throws(() => loop.runSync(() => f()));
    t.regex(error.message, /must implement isReady\(\)/);
  });
});

test('WaitAll naming a key twice throws UnknownKeyError into the coroutine and leaves the other keys pending (it once dropped the last key)', (t) => {
  const out = withLoop((loop) => loop.runSync(coroutine(function* (): Generator<unknown, unknown[], any> {
    const a = (yield new Callback('a')) as (v: string) => void;
    const c = (yield new Callback('c')) as (v: string) => void;
    a('A');
    c('C');
    let error: unknown;
    try { yield new WaitAll(['a', 'a']); } catch (e) { error = e; }
    return [error instanceof UnknownKeyError ? (error as Error).message : error, yield new Wait('c')];
  })));
  t.deepEqual(out, ['[gencoro] Wait: key "a" (a string) is not pending', 'C']);
});

test('WaitAll and MultiYieldPoint reject what is not a list (or object) of keys or children, naming it', (t) => {
  const make = (f: () => unknown) => t.throws(f, { instanceOf: TypeError });
  t.is(make(() => new WaitAll(undefined as unknown as string[]))!.message, '[gencoro] WaitAll: expected an array of keys, got undefined');
  t.is(make(() => new WaitAll(5 as unknown as string[]))!.message, '[gencoro] WaitAll: expected an array of keys, got 5 (a number)');
  t.is(make(() => new MultiYieldPoint(5 as unknown as unknown[]))!.message,
    '[gencoro] MultiYieldPoint: expected an array or a plain object of yieldables, got 5 (a number)');
});
