import test from 'ava';
import { BadYieldError, Future, IOLoop, WaitIterator, coroutine } from 'gencoro';
import { failLater, later, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

/** A few host turns (setImmediate), so anything the host was asked to run has had its chance. */
async function hostTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => { setImmediate(resolve); });
}

/** What one step of a WaitIterator handed out. */
interface Step {
  index: number | string | null;
  value?: unknown;
  error?: unknown;
  at: number;
  futureIsInput?: boolean;
}

/** Drains `it` in a coroutine, recording each step's index, value or error, and virtual time. */
function drain(loop: IOLoop, it: WaitIterator, inputs?: unknown[] | Record<string, unknown>): Step[] {
  const run = coroutine(function* () {
    const steps: Step[] = [];
    while (!it.done()) {
      try {
        const value: unknown = yield it.next();
        steps.push({ index: it.currentIndex, value, at: loop.time() });
      } catch (error) {
        steps.push({ index: it.currentIndex, error, at: loop.time() });
      }
      if (inputs !== undefined) {
        steps[steps.length - 1].futureIsInput = it.currentFuture === (inputs as any)[it.currentIndex as any];
      }
    }
    return steps;
  });
  return loop.runSync(() => run());
}

// --- order ------------------------------------------------------------------------

test('results come in completion order, with currentIndex the position of the input that finished', (t) => {
  withLoop((loop) => {
    const inputs = [later(30, 'a'), later(10, 'b'), later(20, 'c')];
    const it = new WaitIterator(...inputs);
    t.deepEqual(drain(loop, it, inputs), [
      { index: 1, value: 'b', at: 10, futureIsInput: true },
      { index: 2, value: 'c', at: 20, futureIsInput: true },
      { index: 0, value: 'a', at: 30, futureIsInput: true },
    ]);
  });
});

test('inputs that are already done come first, in argument order, each next() already done', (t) => {
  withLoop((loop) => {
    const pending = later(5, 'pending');
    const first = resolved('first');
    const second = resolved('second');
    const it = new WaitIterator(pending, first, second);
    const n1 = it.next();
    t.true(n1.done());
    t.is(n1.result(), 'first');
    t.is(it.currentIndex, 1);
    t.is(it.currentFuture, first);
    const n2 = it.next();
    t.true(n2.done());
    t.is(n2.result(), 'second');
    t.is(it.currentIndex, 2);
    t.is(it.currentFuture, second);
    const n3 = it.next();
    t.false(n3.done());
    t.is(loop.runSync(() => n3), 'pending');
    t.is(it.currentIndex, 0);
    t.is(it.currentFuture, pending);
    t.is(loop.time(), 5);
    t.true(it.done());
  });
});

test('keyed inputs report their key as currentIndex and the input as currentFuture', (t) => {
  withLoop((loop) => {
    const inputs = { slow: later(20, 1), fast: later(10, 2), ready: resolved(3) };
    const it = new WaitIterator(inputs);
    t.deepEqual(drain(loop, it, inputs), [
      { index: 'ready', value: 3, at: 0, futureIsInput: true },
      { index: 'fast', value: 2, at: 10, futureIsInput: true },
      { index: 'slow', value: 1, at: 20, futureIsInput: true },
    ]);
  });
});

test('currentIndex and currentFuture are null before the first next()', (t) => {
  withLoop(() => {
    const it = new WaitIterator(resolved(1));
    t.is(it.currentIndex, null);
    t.is(it.currentFuture, null);
    t.false(it.done());
  });
});

test('next() gives a new Future, not the input itself, resolved synchronously inside the input\'s setResult', (t) => {
  withLoop(() => {
    const input = new Future<string>();
    const it = new WaitIterator(input);
    const n = it.next();
    t.not(n, input);
    t.false(n.done());
    input.setResult('now');
    t.true(n.done());
    t.is(n.result(), 'now');
    t.is(it.currentIndex, 0);
    t.is(it.currentFuture, input);
  });
});

test('inputs resolved in the same loop callback come out in setResult order', (t) => {
  withLoop((loop) => {
    const a = new Future<string>();
    const b = new Future<string>();
    const c = new Future<string>();
    loop.callLater(10, () => { c.setResult('c'); a.setResult('a'); b.setResult('b'); });
    const steps = drain(loop, new WaitIterator(a, b, c));
    t.deepEqual(steps.map((s) => s.index), [2, 0, 1]);
    t.deepEqual(steps.map((s) => s.value), ['c', 'a', 'b']);
  });
});

// --- failures ----------------------------------------------------------------------

test('a failed input fails only its own next(), with its error; currentIndex points at it and iteration goes on', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('input failed');
    const inputs = [later(10, 'one'), failLater(20, error), later(30, 'three')];
    const it = new WaitIterator(...inputs);
    const steps = drain(loop, it, inputs);
    t.deepEqual(steps.map((s) => [s.index, s.value, s.at, s.futureIsInput]), [
      [0, 'one', 10, true],
      [1, undefined, 20, true],
      [2, 'three', 30, true],
    ]);
    t.is(steps[1].error, error);
    t.is(steps[0].error, undefined);
    t.is(steps[2].error, undefined);
    t.deepEqual(logs, []);
  });
});

// --- done() -----------------------------------------------------------------------

test('done() is true at once for an iterator with no inputs', (t) => {
  withLoop(() => {
    const it = new WaitIterator();
    t.true(it.done());
    t.is(it.currentIndex, null);
    t.is(it.currentFuture, null);
    t.true(new WaitIterator({}).done());
  });
});

test('done() is false while results are left, then true, and resets currentIndex and currentFuture to null', (t) => {
  withLoop((loop) => {
    const a = later(10, 'a');
    const it = new WaitIterator(a, resolved('b'));
    t.false(it.done());
    it.next();
    t.false(it.done());
    t.is(loop.runSync(() => it.next()), 'a');
    t.is(it.currentIndex, 0);
    t.is(it.currentFuture, a);
    t.true(it.done());
    t.is(it.currentIndex, null);
    t.is(it.currentFuture, null);
  });
});

// --- deliberate differences from 4.5 ---------------------------------------------------

test('a second next() before the first resolves gets the following result (4.5 orphaned the first)', (t) => {
  withLoop((loop) => {
    const it = new WaitIterator(later(20, 'second'), later(10, 'first'));
    const n1 = it.next();
    const n2 = it.next();
    t.not(n1, n2);
    t.is(loop.runSync(() => n1), 'first');
    t.is(loop.time(), 10);
    t.is(it.currentIndex, 1);
    t.false(n2.done());
    t.is(loop.runSync(() => n2), 'second');
    t.is(loop.time(), 20);
    t.is(it.currentIndex, 0);
    t.true(it.done());
  });
});

test('next() with nothing left fails at once instead of never resolving (a 4.5 difference)', (t) => {
  withLoop((loop) => {
    const none = new WaitIterator().next();
    t.true(none.done());
    t.true(none.exception() instanceof Error);
    t.regex((none.exception() as Error).message, /WaitIterator\.next\(\).*no inputs are left/);

    const it = new WaitIterator(resolved(1));
    t.is(it.next().result(), 1);
    const extra = it.next();
    t.true(extra.done());
    t.regex((extra.exception() as Error).message, /no inputs are left/);

    const pending = new WaitIterator(later(10, 'x'));
    const waiting = pending.next();
    const tooMany = pending.next();
    t.true(tooMany.done(), 'every pending input already has a next() waiting for it');
    t.regex((tooMany.exception() as Error).message, /no inputs are left/);
    t.is(loop.runSync(() => waiting), 'x');
  });
});

test('a future given twice is reported once per position (4.5 raised KeyError)', (t) => {
  withLoop((loop) => {
    const f = later(10, 'dup');
    t.deepEqual(drain(loop, new WaitIterator(f, f)).map((s) => [s.index, s.value, s.at]), [
      [0, 'dup', 10],
      [1, 'dup', 10],
    ]);
    const done = resolved('done dup');
    const it = new WaitIterator({ x: done, y: done });
    t.is(it.next().result(), 'done dup');
    t.is(it.currentIndex, 'x');
    t.is(it.next().result(), 'done dup');
    t.is(it.currentIndex, 'y');
    t.true(it.done());
  });
});

// --- inputs ----------------------------------------------------------------------

test('inputs may be any yieldable: lists, null and synchronous thenables are converted', (t) => {
  withLoop((loop) => {
    const thenable = { then(onFulfilled: (v: string) => void) { onFulfilled('thenable'); } };
    const it = new WaitIterator([later(10, 1), resolved(2)], null, thenable);
    t.deepEqual(drain(loop, it).map((s) => [s.index, s.value, s.at]), [
      [1, undefined, 0],
      [2, 'thenable', 0],
      [0, [1, 2], 10],
    ]);
  });
});

test('a single plain object with a then method is one positional thenable, not keyed inputs', (t) => {
  withLoop(() => {
    const thenable = { then(onFulfilled: (v: number) => void) { onFulfilled(5); }, other: resolved(6) };
    const it = new WaitIterator(thenable);
    t.is(it.next().result(), 5);
    t.is(it.currentIndex, 0);
    t.true(it.done());
  });
});

test('positional and keyed inputs mixed throw a TypeError saying "not both"', (t) => {
  withLoop(() => {
    t.throws(() => new WaitIterator(resolved(1), { a: resolved(2) }), {
      instanceOf: TypeError, message: /new WaitIterator: .*not both \(argument 1 is a plain object\)/,
    });
    t.throws(() => new WaitIterator({ a: resolved(1) }, resolved(2)), { instanceOf: TypeError, message: /not both/ });
    t.throws(() => new WaitIterator({ a: resolved(1) }, { b: resolved(2) }), { instanceOf: TypeError, message: /not both/ });
  });
});

test('an input that is not yieldable throws BadYieldError naming it', (t) => {
  withLoop(() => {
    t.throws(() => new WaitIterator(resolved(1), 42), { instanceOf: BadYieldError, message: /42 \(a number\)/ });
    t.throws(() => new WaitIterator({ k: 'text' }), { instanceOf: BadYieldError, message: /"text" \(a string\)/ });
  });
});

// --- for await ----------------------------------------------------------------------

test.serial('for await over a WaitIterator gives the results in completion order on a host-woken loop', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    const it = new WaitIterator(later(300, 'slow'), resolved('ready'), later(100, 'fast'));
    const seen: unknown[] = [];
    for await (const r of it) seen.push([r, it.currentIndex]);
    t.deepEqual(seen, [['ready', 1], ['fast', 2], ['slow', 0]]);
    t.true(it.done());
    t.is(it.currentIndex, null);

    const empty: unknown[] = [];
    for await (const r of new WaitIterator()) empty.push(r);
    t.deepEqual(empty, []);
  } finally {
    IOLoop.clearCurrent();
  }
});

test.serial('the body of a for await over a WaitIterator sees each result at the virtual time its input finished', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    const it = new WaitIterator(later(300, 'slow'), resolved('ready'), later(100, 'fast'));
    const seen: unknown[] = [];
    for await (const r of it) seen.push([r, loop.time()]);
    t.deepEqual(seen, [['ready', 0], ['fast', 100], ['slow', 300]]);
  } finally {
    IOLoop.clearCurrent();
  }
});

test.serial('[Symbol.asyncIterator]() returns a separate adapter object, not the WaitIterator', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    const it = new WaitIterator(resolved('v'));
    const adapter = it[Symbol.asyncIterator]();
    t.not(adapter as unknown, it);
    t.deepEqual(await adapter.next(), { value: 'v', done: false });
    t.deepEqual(await adapter.next(), { value: undefined, done: true });
  } finally {
    IOLoop.clearCurrent();
  }
});

test.serial('an input failure ends a for await loop with its error; a new for await continues with the rest', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    const error = new Error('middle failed');
    const it = new WaitIterator(later(10, 'one'), failLater(20, error), later(30, 'three'));
    const first: unknown[] = [];
    const thrown = await t.throwsAsync(async () => {
      for await (const r of it) first.push(r);
    });
    t.is(thrown, error);
    t.deepEqual(first, ['one']);
    t.is(it.currentIndex, 1);
    const rest: unknown[] = [];
    for await (const r of it) rest.push([r, it.currentIndex]);
    t.deepEqual(rest, [['three', 2]]);
    t.true(it.done());
  } finally {
    IOLoop.clearCurrent();
  }
});

test.serial('an input failing with undefined fails its for await step with undefined instead of leaving it pending', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  loop.makeCurrent();
  try {
    const input = new Future<string>();
    const it = new WaitIterator(input);
    const step = it[Symbol.asyncIterator]().next();
    input.setException(undefined);
    const outcome = await Promise.race([
      Promise.resolve(step).then(() => 'fulfilled', (e: unknown) => ['rejected', e]),
      hostTurns(20).then(() => 'still pending after 20 host turns'),
    ]);
    t.deepEqual(outcome, ['rejected', undefined]);
  } finally {
    IOLoop.clearCurrent();
  }
});

test('the result type is inferred from Futures of one type, positional or keyed (a compile-time check too)', (t) => {
  withLoop((loop) => {
    const a = new Future<number>();
    const b = new Future<number>();
    const positional = new WaitIterator(a, b);
    const keyed = new WaitIterator({ x: a, y: b });
    a.setResult(1);
    b.setResult(2);
    const first: Future<number> = positional.next();
    const byKey: Future<number> = keyed.next();
    t.is(loop.runSync(() => first) + loop.runSync(() => byKey), 2);
  });
});
