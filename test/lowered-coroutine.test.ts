/**
 * The one-object lowered coroutine (runtime/lowered-coroutine.ts), driven by
 * hand-written step functions of the shape the plugin emits: the coroutine
 * wrapper claims a branded function's call and gets one object that is the
 * body's state, its runner and its Future; any other call gets a
 * StateMachine; YieldPoints hand the body to a Runner.
 */
import test from 'ava';
import {
  Callback, Future, LeakedCallbackError, LoweredCoroutine, Return, ReturnValueIgnoredError, StateMachine, Wait, begin,
  coroutine, engine, lowered, moment, withCallback,
} from 'gencoro';
import { withLoop } from './helpers/loop.js';

type M = { s: number; [field: string]: unknown };

/** `function* (a, f) { const b = yield f; return a + b; }`, lowered by hand. */
function adder() {
  const step = (m: M, value: unknown): unknown => {
    switch (m.s) {
      case 0: m.s = 1; return m.$f;
      case 1: m.$b = value; m.s = -1; return (m.$a as number) + (m.$b as number);
    }
    throw new Error('bad state ' + m.s);
  };
  return lowered(step, function (a: number, f: unknown) {
    const m = begin(step, 0) as M;
    m.$a = a;
    m.$f = f;
    m.$b = undefined;
    return m;
  });
}

test('a claimed call returns one object: the LoweredCoroutine is the Future, and done futures continue at once', (t) => {
  withLoop(() => {
    const add = coroutine(adder());
    const f = add(2, resolvedFuture(2));
    t.true(f instanceof LoweredCoroutine);
    t.true(f instanceof Future);
    t.true(f.done());
    t.is(f.result(), 4 as never);
  });
});

test('an unclaimed call (direct, engine, withCallback) gets a StateMachine that behaves as the generator', (t) => {
  withLoop((loop) => {
    const raw = adder();
    const direct = raw(5, 'yielded') as unknown as StateMachine;
    t.true(direct instanceof StateMachine);
    t.false((direct as unknown) instanceof Future);
    t.deepEqual(direct.next(), { value: 'yielded', done: false });
    t.deepEqual(direct.next(1), { value: 6, done: true });
    let seen: unknown;
    const viaCallback = coroutine(raw)(3, resolvedFuture(3), withCallback((v: unknown) => { seen = v; }));
    t.false(viaCallback instanceof LoweredCoroutine);
    loop.runSync(() => viaCallback);
    t.is(seen, 6);
    // engine: the StateMachine path too; its body's value (1 + undefined) is not allowed to be returned.
    const body = engine(raw);
    t.throws(() => loop.runSync(() => { body(1, resolvedFuture(undefined)); return moment; }),
      { instanceOf: ReturnValueIgnoredError });
  });
});

test('a pending Future suspends the object as its waiter; the resume comes one loop iteration later', (t) => {
  withLoop((loop) => {
    const pending = new Future<number>();
    const f = coroutine(adder())(10, pending);
    t.false(f.done());
    t.is((pending as unknown as { _callbacks: unknown })._callbacks, f, 'the waiter is the coroutine itself: no closure');
    loop.addCallback(() => pending.setResult(10));
    t.is(loop.runSync(() => f), 20 as never);
  });
});

test('errors: a failed Future is thrown into the body, Return is a result, and an uncaught error fails the Future', (t) => {
  withLoop((loop) => {
    const step = (m: M, value: unknown, mode: number): unknown => {
      switch (m.s) {
        case 0: m.s = 1; return m.$f;
        case 1: m.s = -1; throw new Return('unreachable ' + String(value) + mode);
      }
      return undefined;
    };
    const fn = coroutine(lowered(step, function (this: unknown, f: unknown) { const m = begin(step, 0) as M; m.$f = f; return m; }));
    const bad = new Future<number>();
    bad.setException(new Error('boom'));
    const failed = fn(bad) as Future<unknown>;
    t.true(failed.done());
    t.is((failed.exception() as Error).message, 'boom');
    t.is(loop.runSync(() => fn(resolvedFuture(1))), 'unreachable 10' as never);
  });
});

test('a body with try regions gets the registers from begin(step, 1), on both objects', (t) => {
  withLoop(() => {
    const step = (m: M): unknown => { m.s = -1; return [m.h, m.f, m.ck, m.d]; };
    const claimed = coroutine(lowered(step, function (this: unknown) { return begin(step, 1); }))() as Future<unknown>;
    t.true(claimed instanceof LoweredCoroutine);
    t.deepEqual(claimed.result(), [0, 0, 0, false] as never);
    const direct = begin(step, 1) as M;
    t.deepEqual([direct.h, direct.f, direct.ck, direct.d], [0, 0, 0, false]);
    const plain = begin(step, 0) as M;
    t.is(plain.h, undefined);
  });
});

test('a YieldPoint hands the body to a Runner, which finishes it as the same Future; a leaked callback still fails it', (t) => {
  withLoop((loop) => {
    const step = (m: M, value: unknown): unknown => {
      switch (m.s) {
        case 0: m.s = 1; return new Callback('k');
        case 1: (value as (v: unknown) => void)('called back'); m.s = 2; return new Wait('k');
        case 2: m.s = -1; return 'got ' + String(value);
      }
      return undefined;
    };
    const fn = coroutine(lowered(step, function (this: unknown) { return begin(step, 0); }));
    const f = fn();
    t.true(f instanceof LoweredCoroutine);
    t.is(loop.runSync(() => f), 'got called back' as never);

    const leakStep = (m: M): unknown => {
      switch (m.s) {
        case 0: m.s = 1; return new Callback('never');
        case 1: m.s = -1; return 'done';
      }
      return undefined;
    };
    const leaks = coroutine(lowered(leakStep, function (this: unknown) { return begin(leakStep, 0); }))();
    t.throws(() => loop.runSync(() => leaks), { instanceOf: LeakedCallbackError });
  });
});

test('the claim is for the branded step only: a lowered function called directly inside another call gets a StateMachine', (t) => {
  withLoop(() => {
    const inner = adder();
    let innerResult: unknown;
    const outerStep = (m: M): unknown => { m.s = -1; return innerResult; };
    const outer = lowered(outerStep, function () {
      const m = begin(outerStep, 0) as M;
      innerResult = inner(1, 'x'); // called while the wrapper's claim for `outer` was taken already
      return m;
    });
    const f = coroutine(outer)();
    t.true(f instanceof LoweredCoroutine);
    t.true(innerResult instanceof StateMachine);
  });
});

function resolvedFuture<T>(value: T): Future<T> {
  const f = new Future<T>();
  f.setResult(value);
  return f;
}
