import test from 'ava';
import {
  coroutine, engine, isCoroutineFunction, withCallback, Future, Return, ReturnValueIgnoredError,
  maybeFuture, moment, sleep,
} from 'gencoro';
import { withLoop } from './helpers/loop.js';

// ---------------------------------------------------------------------------
// coroutine: calling

test('a coroutine call runs the body synchronously up to its first wait and returns a pending Future', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const gate = new Future<number>();
    const double = coroutine(function* () {
      order.push('body start');
      const v: number = yield gate;
      order.push('body resumed with ' + v);
      return v * 2;
    });
    order.push('before call');
    const result = double();
    order.push('call returned');
    t.deepEqual(order, ['before call', 'body start', 'call returned']);
    t.true(result instanceof Future);
    t.false(result.done());
    loop.addCallback(() => { gate.setResult(21); });
    t.is(loop.runSync(() => result), 42);
    t.deepEqual(order, ['before call', 'body start', 'call returned', 'body resumed with 21']);
  });
});

test('a body that never waits returns a Future that is already done', (t) => {
  withLoop(() => {
    const f = coroutine(function* (a: number) {
      return a + 1;
    });
    const result = f(1);
    t.true(result.done());
    t.is(result.result(), 2);
  });
});

test('the body continues synchronously past yields of futures that are already done', (t) => {
  withLoop(() => {
    const seen: number[] = [];
    const f = coroutine(function* () {
      const a: number = yield maybeFuture(1);
      seen.push(a);
      const b: number = yield maybeFuture(2);
      seen.push(b);
      const [c, d]: number[] = yield [maybeFuture(3), maybeFuture(4)];
      seen.push(c, d);
      return a + b + c + d;
    });
    const result = f();
    t.deepEqual(seen, [1, 2, 3, 4]);
    t.true(result.done());
    t.is(result.result(), 10);
  });
});

test('an error thrown by the body before its first yield goes into the Future, not to the caller', (t) => {
  withLoop(() => {
    const error = new Error('boom');
    const f = coroutine(function* () {
      throw error;
    });
    let result: Future<never> | undefined;
    t.notThrows(() => { result = f(); });
    t.true(result!.done());
    t.is(result!.exception(), error);
  });
});

test('an error thrown by a non-generator body goes into the Future, not to the caller', (t) => {
  withLoop(() => {
    const error = new TypeError('bad');
    const f = coroutine((): number => {
      throw error;
    });
    let result: Future<number> | undefined;
    t.notThrows(() => { result = f(); });
    t.true(result!.done());
    t.is(result!.exception(), error);
  });
});

test('an error thrown after a yield fails the Future with that same error', (t) => {
  withLoop((loop) => {
    const error = new RangeError('later');
    const f = coroutine(function* () {
      yield sleep(10);
      throw error;
    });
    let result: Future<never> | undefined;
    t.notThrows(() => { result = f(); });
    t.false(result!.done());
    const thrown = t.throws(() => loop.runSync(() => result!));
    t.is(thrown, error);
    t.is(result!.exception(), error);
  });
});

test('a generator `return v` resolves the Future with v, before or after a wait', (t) => {
  withLoop((loop) => {
    const now = coroutine(function* () {
      return 'now';
    });
    const later = coroutine(function* () {
      yield sleep(5);
      return 'later';
    });
    t.is(now().result(), 'now');
    t.is(loop.runSync(() => later()), 'later');
  });
});

test('`throw new Return(v)` in a generator resolves the Future with v, before or after a wait', (t) => {
  withLoop((loop) => {
    const payload = { ok: true };
    const now = coroutine(function* (): Generator<unknown, { ok: boolean }> {
      throw new Return(payload);
    });
    const later = coroutine(function* (): Generator<unknown, number> {
      yield sleep(5);
      throw new Return(7);
    });
    const early = now();
    t.true(early.done());
    t.is(early.result(), payload);
    t.is(loop.runSync(() => later()), 7);
  });
});

test('`throw new Return(v)` from a non-generator function resolves the Future with v', (t) => {
  withLoop(() => {
    const f = coroutine((): number => {
      throw new Return(42);
    });
    const result = f();
    t.true(result.done());
    t.is(result.result(), 42);
  });
});

test('`throw new Return()` and a bare `return` resolve the Future with undefined', (t) => {
  withLoop(() => {
    const a = coroutine(function* (): Generator<unknown, undefined> {
      throw new Return();
    });
    const b = coroutine(function* () {
      return;
    });
    const ra = a();
    const rb = b();
    t.true(ra.done());
    t.true(rb.done());
    t.is(ra.exception(), undefined);
    t.is(rb.exception(), undefined);
    t.is(ra.result(), undefined);
    t.is(rb.result(), undefined);
  });
});

test('a non-generator function has its return value put in a Future that is already done', (t) => {
  withLoop(() => {
    const add = coroutine((a: number, b: number) => a + b);
    const result = add(2, 3);
    t.true(result instanceof Future);
    t.true(result.done());
    t.is(result.result(), 5);
  });
});

test('a Future returned by a non-generator function is not unwrapped', (t) => {
  withLoop(() => {
    const inner = new Future<number>();
    const f = coroutine(() => inner);
    const outer = f();
    t.not(outer, inner);
    t.true(outer.done());
    t.is(outer.result(), inner);
    t.false(inner.done());
  });
});

test('a non-generator function that returns a generator object has it run as the body', (t) => {
  withLoop((loop) => {
    function* body(n: number) {
      yield sleep(1);
      return n * 3;
    }
    const f = coroutine((n: number) => body(n));
    t.is(loop.runSync(() => f(4)), 12);
  });
});

test('`this` and every argument reach the body unchanged', (t) => {
  withLoop((loop) => {
    let seenArgs: unknown[] = [];
    const target = {
      base: 100,
      add: coroutine(function* (this: { base: number }, a: number, b: number) {
        seenArgs = Array.prototype.slice.call(arguments);
        yield moment;
        return this.base + a + b;
      }),
    };
    t.is(loop.runSync(() => target.add(1, 2)), 103);
    t.deepEqual(seenArgs, [1, 2]);

    const collect = coroutine(function* (...args: unknown[]) {
      yield moment;
      return args;
    });
    t.deepEqual(loop.runSync(() => collect(1, 'x', undefined)), [1, 'x', undefined]);

    const receiver = {
      name: 'receiver',
      plain: coroutine(function (this: unknown, a: string) {
        return [this, a, arguments.length];
      }),
    };
    t.deepEqual(receiver.plain('arg').result(), [receiver, 'arg', 1]);
  });
});

test('coroutine(f) and engine(f) keep f.name', (t) => {
  function* fetchThing() {
    yield moment;
  }
  t.is(coroutine(fetchThing).name, 'fetchThing');
  t.is(engine(fetchThing).name, 'fetchThing');
  t.is(coroutine(function namedPlain() { return 1; }).name, 'namedPlain');
});

test('isCoroutineFunction is true for coroutine and engine wrappers', (t) => {
  t.true(isCoroutineFunction(coroutine(function* () { yield moment; })));
  t.true(isCoroutineFunction(coroutine(() => 1)));
  t.true(isCoroutineFunction(engine(function* () { yield moment; })));
});

test('isCoroutineFunction is false for plain functions, generator functions, the returned Future and non-functions', (t) => {
  function* gen() {
    yield moment;
  }
  withLoop(() => {
    const returned = coroutine(gen)();
    t.false(isCoroutineFunction(returned));
  });
  t.false(isCoroutineFunction(() => 1));
  t.false(isCoroutineFunction(function plain() { return 1; }));
  t.false(isCoroutineFunction(gen));
  t.false(isCoroutineFunction(undefined));
  t.false(isCoroutineFunction({ __gencoroCoroutine__: true }));
});

// ---------------------------------------------------------------------------
// coroutine as a decorator

test('TC39 @coroutine on a class method makes it a coroutine method with `this` bound to the instance', (t) => {
  class Counter {
    count = 1;

    @coroutine
    *addLater(n: number) {
      yield sleep(10);
      this.count += n;
      return this.count;
    }
  }
  t.true(isCoroutineFunction(Counter.prototype.addLater));
  t.is(Counter.prototype.addLater.name, 'addLater');
  withLoop((loop) => {
    const counter = new Counter();
    const pending = counter.addLater(2) as unknown as Future<number>;
    t.true(pending instanceof Future);
    t.false(pending.done());
    t.is(loop.runSync(() => pending), 3);
    t.is(counter.count, 3);
  });
});

test('TC39 @coroutine on a getter throws a TypeError naming the kind', (t) => {
  const error = t.throws(() => {
    class Bad {
      @(coroutine as any)
      get value() {
        return 1;
      }
    }
    return Bad;
  }, { instanceOf: TypeError });
  t.regex(error.message, /@coroutine/);
  t.regex(error.message, /getter/);
  t.regex(error.message, /\bvalue\b/);
});

test('TC39 @coroutine on a field throws a TypeError naming the kind', (t) => {
  const error = t.throws(() => {
    class Bad {
      @(coroutine as any)
      handler = () => 1;
    }
    return Bad;
  }, { instanceOf: TypeError });
  t.regex(error.message, /@coroutine/);
  t.regex(error.message, /field/);
  t.regex(error.message, /\bhandler\b/);
});

test('TC39 @engine on a class throws a TypeError naming the kind', (t) => {
  const error = t.throws(() => {
    @(engine as any)
    class Bad {}
    return Bad;
  }, { instanceOf: TypeError });
  t.regex(error.message, /@engine/);
  t.regex(error.message, /class/);
});

test('the legacy decorator form coroutine(target, key, descriptor) replaces the method with a coroutine', (t) => {
  class Legacy {
    base = 5;
    *add(a: number) {
      yield sleep(1);
      return this.base + a;
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Legacy.prototype, 'add')!;
  const original = descriptor.value;
  const returned = coroutine(Legacy.prototype, 'add', descriptor);
  t.is(returned, descriptor);
  t.not(returned.value, original);
  t.true(isCoroutineFunction(returned.value));
  Object.defineProperty(Legacy.prototype, 'add', returned);
  withLoop((loop) => {
    const pending = new Legacy().add(1) as unknown as Future<number>;
    t.true(pending instanceof Future);
    t.is(loop.runSync(() => pending), 6);
  });
});

test('the legacy decorator form on an accessor descriptor throws a TypeError naming the key', (t) => {
  const descriptor: PropertyDescriptor = { get() { return 1; }, configurable: true, enumerable: false };
  const error = t.throws(() => coroutine({}, 'size', descriptor), { instanceOf: TypeError });
  t.regex(error.message, /@coroutine/);
  t.regex(error.message, /\bsize\b/);
  t.regex(error.message, /not a method/);
});

test('coroutine(42) throws a TypeError naming the value', (t) => {
  const error = t.throws(() => (coroutine as (x: unknown) => unknown)(42), { instanceOf: TypeError });
  t.regex(error.message, /\b42\b/);
  t.regex(error.message, /number/);
  const error2 = t.throws(() => (engine as (x: unknown) => unknown)('nope'), { instanceOf: TypeError });
  t.regex(error2.message, /"nope"/);
});

// ---------------------------------------------------------------------------
// withCallback

test('withCallback(cb) as the last argument is taken off: the body never sees it', (t) => {
  withLoop((loop) => {
    let seen: unknown[] = [];
    const f = coroutine(function* (...args: unknown[]) {
      seen = Array.prototype.slice.call(arguments);
      yield moment;
      return args.length;
    });
    const results: unknown[] = [];
    loop.runSync(() => f(1, 2, withCallback((r: number) => { results.push(r); })));
    t.deepEqual(seen, [1, 2]);
    t.deepEqual(results, [2]);

    let plainSeen = -1;
    const plain = coroutine(function (_a: string) { plainSeen = arguments.length; return 'p'; });
    loop.runSync(() => plain('a', withCallback(() => {})));
    t.is(plainSeen, 1);
  });
});

test('withCallback: cb(result) runs one loop iteration later even when the coroutine finished synchronously', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const f = coroutine(function* () {
      return 42;
    });
    loop.runSync(() => {
      loop.addCallback(() => { order.push('next iteration, queued before the call'); });
      const result = f(withCallback((r: number) => { order.push('cb ' + r); }));
      order.push('call returned, done=' + result.done());
      loop.addCallback(() => { order.push('next iteration, queued after the call'); });
      return sleep(1);
    });
    t.deepEqual(order, [
      'call returned, done=true',
      'next iteration, queued before the call',
      'cb 42',
      'next iteration, queued after the call',
    ]);
  });
});

test('withCallback: cb(result) runs in the loop iteration after the one where the coroutine finished', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    const gate = new Future<string>();
    const f = coroutine(function* () {
      const v: string = yield gate;
      order.push('finished');
      return v;
    });
    loop.runSync(() => {
      f(withCallback((r: string) => { order.push('cb ' + r); }));
      loop.addCallback(() => {
        gate.setResult('x');
        loop.addCallback(() => {
          order.push('same iteration as the finish');
          loop.addCallback(() => { order.push('iteration after the finish'); });
        });
      });
      return sleep(1);
    });
    t.deepEqual(order, ['finished', 'same iteration as the finish', 'cb x', 'iteration after the finish']);
  });
});

test('withCallback: cb is called with exactly one argument, the result, even when it is undefined', (t) => {
  withLoop((loop) => {
    const calls: unknown[][] = [];
    const f = coroutine(function* () {
      yield moment;
    });
    loop.runSync(() => {
      f(withCallback(function () { calls.push(Array.prototype.slice.call(arguments)); }));
      return sleep(1);
    });
    t.deepEqual(calls, [[undefined]]);
  });
});

test('withCallback: when the coroutine fails, cb is not called and the failure is logged', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('failed body');
    let called = 0;
    const f = coroutine(function* () {
      yield moment;
      throw error;
    });
    const result = f(withCallback(() => { called++; }));
    loop.runSync(() => sleep(1));
    t.is(called, 0);
    t.is(result.exception(), error);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback function (anonymous)');
    t.is(logs[0].error, error);
  });
});

test('withCallback with something that is not a function throws a TypeError naming it', (t) => {
  const error = t.throws(() => withCallback(42 as unknown as () => void), { instanceOf: TypeError });
  t.regex(error.message, /withCallback/);
  t.regex(error.message, /\b42\b/);
});

// ---------------------------------------------------------------------------
// engine

test('an engine call returns undefined and runs the body', (t) => {
  withLoop((loop, logs) => {
    const order: string[] = [];
    const e = engine(function* (a: number) {
      order.push('start ' + a);
      yield sleep(5);
      order.push('end');
    });
    const returned: unknown = e(1);
    t.is(returned, undefined);
    t.deepEqual(order, ['start 1']);
    loop.runSync(() => sleep(10));
    t.deepEqual(order, ['start 1', 'end']);
    t.deepEqual(logs, []);
  });
});

test('an engine body that returns a value synchronously throws ReturnValueIgnoredError out of the call', (t) => {
  withLoop((_loop, logs) => {
    const gen = engine(function* () {
      return 42;
    });
    // `any: true`: gencoro's errors are not native errors to ava (see errors.test.ts).
    const error = t.throws(() => gen(), { any: true, instanceOf: ReturnValueIgnoredError }) as Error;
    t.regex(error.message, /\b42\b/);
    const plain = engine(() => 'text');
    t.throws(() => plain(), { any: true, instanceOf: ReturnValueIgnoredError, message: /"text"/ });
    t.deepEqual(logs, []);
  });
});

test('an engine body that returns a value after a wait logs ReturnValueIgnoredError', (t) => {
  withLoop((loop, logs) => {
    const e = engine(function* () {
      yield sleep(5);
      return 42;
    });
    t.notThrows(() => e());
    t.is(logs.length, 0);
    loop.runSync(() => sleep(10));
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback for Future');
    t.true(logs[0].error instanceof ReturnValueIgnoredError);
    t.regex((logs[0].error as Error).message, /\b42\b/);
  });
});

test('an engine body may end with a bare `return` or `throw new Return()`', (t) => {
  withLoop((loop, logs) => {
    const bare = engine(function* () {
      return;
    });
    const bareLater = engine(function* () {
      yield sleep(1);
      return;
    });
    const empty = engine(function* () {
      yield sleep(1);
      throw new Return();
    });
    t.notThrows(() => bare());
    t.notThrows(() => bareLater());
    t.notThrows(() => empty());
    loop.runSync(() => sleep(5));
    t.deepEqual(logs, []);
  });
});

test('an engine body that throws new Return(42) is a ReturnValueIgnoredError too', (t) => {
  withLoop((loop, logs) => {
    const now = engine(function* () {
      throw new Return(42);
    });
    t.throws(() => now(), { any: true, instanceOf: ReturnValueIgnoredError, message: /\b42\b/ });
    const later = engine(function* () {
      yield sleep(1);
      throw new Return(42);
    });
    t.notThrows(() => later());
    loop.runSync(() => sleep(5));
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback for Future');
    t.true(logs[0].error instanceof ReturnValueIgnoredError);
  });
});

test('an engine body that fails synchronously throws its error out of the call; after a wait it is logged', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('engine failed');
    const now = engine(function* () {
      throw error;
    });
    t.is(t.throws(() => now()), error);
    const later = engine(function* () {
      yield sleep(1);
      throw error;
    });
    t.notThrows(() => later());
    loop.runSync(() => sleep(5));
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback for Future');
    t.is(logs[0].error, error);
  });
});

// ---------------------------------------------------------------------------
// A done Future never changes

test('a coroutine whose Future was set by hand keeps that outcome; what its body gives later is logged, not stored', (t) => {
  withLoop((loop, logs) => {
    const returns = coroutine(function* () { yield sleep(10); return 'from the body'; });
    const fails = coroutine(function* (): Generator<unknown, string, unknown> { yield sleep(10); throw new Error('body failed'); });
    const a = returns();
    a.setResult('set by hand');
    const b = fails();
    b.setResult('also by hand');
    const seen: unknown[] = [];
    b.addDoneCallback((f) => seen.push(f.result()));
    loop.runSync(() => sleep(20));
    t.is(a.result(), 'set by hand');
    t.is(b.result(), 'also by hand');
    t.deepEqual(seen, ['also by hand']);
    t.deepEqual(logs.map((l) => [l.message, l.error instanceof Error ? l.error.message : l.error]), [
      ['[gencoro] Future: already done (it has a result), so a result that came later was dropped', undefined],
      ['[gencoro] Future: already done (it has a result), so a failure that came later was dropped', 'body failed'],
    ]);
  });
});

test('a then() Future set by hand keeps that outcome when the handler finishes later', (t) => {
  withLoop((loop, logs) => {
    const source = new Future<number>();
    const next = source.then((v) => v * 2);
    next.setResult(-1);
    source.setResult(21);
    loop.runSync(() => sleep(1));
    t.is(next.result(), -1);
    t.is(logs.length, 1);
    t.regex(logs[0].message, /already done .* a result that came later was dropped/);
  });
});
