import test from 'ava';
import { Future, IOLoop, coroutine, wait } from 'gencoro';
import { failLater, later, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

/** Compile-time checks only (never called): `yield* wait(y)` has the type of y's result. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function* typeChecks(futureOfNumber: Future<number>, futureOfString: Future<string>) {
  const n: number = yield* wait(futureOfNumber);
  // @ts-expect-error a Future<number> does not give a string
  const wrong: string = yield* wait(futureOfNumber);
  const tuple: [number, string] = yield* wait([futureOfNumber, futureOfString] as const);
  const list: Array<number | string> = yield* wait([futureOfNumber, futureOfString]);
  const object: { x: number; y: string } = yield* wait({ x: futureOfNumber, y: futureOfString });
  const fromPromise: boolean = yield* wait(Promise.resolve(true));
  const nothing: undefined = yield* wait(null);
  return [n, wrong, tuple, list, object, fromPromise, nothing];
}

test('`const r = yield* wait(f)` inside a coroutine gives the result of f', (t) => {
  withLoop((loop) => {
    const futureOfNumber = later(30, 21);
    const run = coroutine(function* () {
      const n: number = yield* wait(futureOfNumber);
      const s: string = yield* wait(resolved('ready'));
      return { doubled: n * 2, s, at: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { doubled: 42, s: 'ready', at: 30 });
  });
});

test('yield* wait of an array or an object gives the results in the same shape', (t) => {
  withLoop((loop) => {
    const run = coroutine(function* () {
      const [a, b] = yield* wait([later(20, 1), later(10, 'two')] as const);
      const o = yield* wait({ x: later(5, true), y: [resolved(4)] });
      return { a, b, o, at: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { a: 1, b: 'two', o: { x: true, y: [4] }, at: 25 });
  });
});

test('an error thrown into yield* wait propagates to the coroutine body, where it can be caught', (t) => {
  withLoop((loop) => {
    const error = new Error('waited failure');
    const run = coroutine(function* () {
      try {
        yield* wait(failLater(10, error));
        return 'no error';
      } catch (e) {
        return { caught: e, at: loop.time() };
      }
    });
    const result = loop.runSync(() => run()) as { caught: unknown; at: number };
    t.is(result.caught, error);
    t.is(result.at, 10);

    const uncaught = coroutine(function* () {
      yield* wait(failLater(5, error));
      return 'unreachable';
    });
    t.is(t.throws(() => loop.runSync(() => uncaught())), error);
  });
});

test('yield* wait(null) costs one loop iteration, like yielding moment, and gives undefined', (t) => {
  withLoop((loop) => {
    const steps: string[] = [];
    const run = coroutine(function* () {
      steps.push('before');
      const r = yield* wait(null);
      steps.push('after ' + String(r));
    });
    const f = run();
    t.deepEqual(steps, ['before']);
    loop.runOnce();
    t.deepEqual(steps, ['before', 'after undefined']);
    t.true(f.done());
  });
});

test('the object wait returns is iterable: [Symbol.iterator]() returns the object itself', (t) => {
  const w = wait(resolved(1));
  t.is(w[Symbol.iterator](), w);
});

test('wait(y) yields y once and then returns what it is resumed with', (t) => {
  const y = resolved(1);
  const w = wait(y);
  t.deepEqual(w.next(), { value: y, done: false });
  t.deepEqual(w.next(5 as never), { value: 5, done: true });
  t.deepEqual(w.next(), { value: undefined, done: true });
});

test('return(v) finishes the wait object with v; throw(e) throws e and finishes it', (t) => {
  const w = wait(resolved(1));
  w.next();
  t.deepEqual(w.return(3 as never), { value: 3, done: true });
  t.deepEqual(w.next(), { value: undefined, done: true });

  const error = new Error('thrown in');
  const v = wait(resolved(1));
  v.next();
  t.is(t.throws(() => v.throw(error)), error);
  t.deepEqual(v.next(), { value: undefined, done: true });
});

test('a spread of wait in an ordinary for...of sees the one yielded value', (t) => {
  const y = resolved('only');
  t.deepEqual([...wait(y)], [y]);
});
