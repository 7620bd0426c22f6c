import test from 'ava';
import { execFileSync } from 'node:child_process';
import {
  BadYieldError, Future, IOLoop, TimeoutError, coroutine, sleep, type Timer,
} from 'gencoro';
import { failed, resolved } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

/** A few host turns (setImmediate), so anything the host was asked to run has had its chance. */
async function hostTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => { setImmediate(resolve); });
}

// --- one iteration -------------------------------------------------------------

test('one iteration runs the callbacks queued before it began, then the due timers; callbacks added meanwhile run in the next one', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addTimeout(loop.time(), () => { order.push('t0-a'); });
    loop.addTimeout(loop.time(), () => { order.push('t0-b'); });
    loop.addCallback(() => { order.push('cb1'); });
    loop.addCallback(() => {
      order.push('cb2');
      loop.addCallback(() => { order.push('cb2-child'); });
    });
    loop.runOnce();
    t.deepEqual(order, ['cb1', 'cb2', 't0-a', 't0-b']);
    loop.runOnce();
    t.deepEqual(order, ['cb1', 'cb2', 't0-a', 't0-b', 'cb2-child']);
  });
});

test('the due timers of one iteration fire in (deadline, insertion) order', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addTimeout(-10, () => { order.push('-10 first'); });
    loop.addTimeout(-20, () => { order.push('-20'); });
    loop.addTimeout(0, () => { order.push('0'); });
    loop.addTimeout(-10, () => { order.push('-10 second'); });
    loop.addTimeout(-30, () => { order.push('-30'); });
    loop.addTimeout(-10, () => { order.push('-10 third'); });
    loop.addTimeout(1, () => { order.push('1 (not due)'); });
    loop.runOnce();
    t.deepEqual(order, ['-30', '-20', '-10 first', '-10 second', '-10 third', '0']);
    t.is(loop.time(), 0);
  });
});

test('timers at different times fire in (deadline, insertion) order, each at its own time', (t) => {
  withLoop((loop) => {
    const fired: Array<[string, number]> = [];
    const at = (name: string) => () => { fired.push([name, loop.time()]); };
    loop.addTimeout(30, at('c1'));
    loop.addTimeout(10, at('a1'));
    loop.callAt(30, at('c2'));
    loop.callLater(20, at('b1'));
    loop.addTimeout(10, at('a2'));
    loop.callAt(20, at('b2'));
    loop.callLater(40, () => { loop.stop(); });
    loop.start();
    t.deepEqual(fired, [['a1', 10], ['a2', 10], ['b1', 20], ['b2', 20], ['c1', 30], ['c2', 30]]);
  });
});

test('a timer that a callback adds with a deadline already reached fires in the next iteration, not the current one', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addCallback(() => {
      order.push('cb');
      loop.addTimeout(loop.time(), () => { order.push('timer'); });
    });
    loop.runOnce();
    t.deepEqual(order, ['cb']);
    loop.runOnce();
    t.deepEqual(order, ['cb', 'timer']);
  });
});

test('a due timer removed by an earlier callback or timer of the same iteration does not fire', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    let second: Timer | null = null;
    loop.addTimeout(0, () => {
      order.push('first');
      loop.removeTimeout(second);
    });
    second = loop.addTimeout(0, () => { order.push('second'); });
    const third = loop.addTimeout(0, () => { order.push('third'); });
    loop.addCallback(() => { order.push('cb'); loop.removeTimeout(third); });
    loop.runOnce();
    t.deepEqual(order, ['cb', 'first']);
    t.is(loop.runOnce(), -1);
    t.deepEqual(order, ['cb', 'first']);
  });
});

// --- arguments -----------------------------------------------------------------

test('addCallback, addTimeout, callAt and callLater pass their extra arguments to the callback', (t) => {
  withLoop((loop) => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => { calls.push(args); };
    loop.addCallback(record, 'cb', 1);
    loop.addCallback(record);
    loop.addTimeout(5, record, 'addTimeout', 2, 3);
    loop.callAt(6, record, 'callAt', null);
    loop.callLater(7, record, 'callLater', undefined, 4);
    loop.callLater(8, record);
    loop.callLater(9, () => { loop.stop(); });
    loop.start();
    t.deepEqual(calls, [
      ['cb', 1],
      [],
      ['addTimeout', 2, 3],
      ['callAt', null],
      ['callLater', undefined, 4],
      [],
    ]);
    t.is(calls[4].length, 3);
  });
});

test('callLater counts from time(), while addTimeout and callAt take absolute times', (t) => {
  withLoop((loop) => {
    const fired: Array<[string, number]> = [];
    loop.callAt(100, () => {
      loop.callLater(50, () => { fired.push(['callLater(50)', loop.time()]); });
      loop.callAt(120, () => { fired.push(['callAt(120)', loop.time()]); });
      loop.addTimeout(130, () => { fired.push(['addTimeout(130)', loop.time()]); });
    });
    loop.callAt(1000, () => { loop.stop(); });
    loop.start();
    t.deepEqual(fired, [['callAt(120)', 120], ['addTimeout(130)', 130], ['callLater(50)', 150]]);
  });
});

// --- removeTimeout ---------------------------------------------------------------

test('removeTimeout before a timer fires cancels it', (t) => {
  withLoop((loop) => {
    const fired: string[] = [];
    const handle = loop.callLater(10, () => { fired.push('removed'); });
    loop.callLater(20, () => { fired.push('kept'); });
    loop.removeTimeout(handle);
    loop.callLater(30, () => { loop.stop(); });
    loop.start();
    t.deepEqual(fired, ['kept']);
    t.is(loop.time(), 30);
  });
});

test('removeTimeout after the timer fired, twice, or with null or undefined does nothing', (t) => {
  withLoop((loop) => {
    const fired: string[] = [];
    const handle = loop.callLater(10, () => { fired.push('fired'); });
    loop.callLater(10, () => { loop.stop(); });
    loop.start();
    t.deepEqual(fired, ['fired']);
    t.notThrows(() => loop.removeTimeout(handle));
    t.notThrows(() => loop.removeTimeout(handle));
    t.notThrows(() => loop.removeTimeout(null));
    t.notThrows(() => loop.removeTimeout(undefined));
    const other = loop.callLater(5, () => { fired.push('other'); });
    loop.removeTimeout(other);
    loop.removeTimeout(other);
    t.is(loop.runOnce(), -1);
    t.deepEqual(fired, ['fired']);
  });
});

test('after many timers are removed, the remaining ones still fire in (deadline, insertion) order', (t) => {
  withLoop((loop) => {
    const expected: Array<[number, number]> = [];
    const fired: Array<[number, number]> = [];
    const handles: Timer[] = [];
    for (let i = 0; i < 300; i++) {
      const deadline = (i * 7919) % 97;
      handles.push(loop.addTimeout(deadline, () => { fired.push([deadline, i]); }));
      if (i % 4 === 0) expected.push([deadline, i]);
    }
    for (let i = 0; i < 300; i++) if (i % 4 !== 0) loop.removeTimeout(handles[i]);
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    loop.callAt(1000, () => { loop.stop(); });
    loop.start();
    t.is(fired.length, 75);
    t.deepEqual(fired, expected);
  });
});

test('removeTimeout with a handle from another loop leaves both loops working', (t) => {
  const a = new IOLoop({ clock: 'virtual', standalone: true });
  const b = new IOLoop({ clock: 'virtual', standalone: true });
  const fired: Array<[string, number]> = [];
  const foreign = a.callLater(10, () => { fired.push(['a: foreign handle', a.time()]); });
  let rejected = false;
  try {
    b.removeTimeout(foreign);
  } catch (e) {
    t.true(e instanceof TypeError);
    rejected = true;
  }
  b.callLater(20, () => { fired.push(['b', b.time()]); });
  for (let i = 0; i < 3 && b.runOnce() !== -1; i++);
  t.deepEqual(fired, [['b', 20]]);
  a.callLater(30, () => { fired.push(['a: later', a.time()]); });
  let last = 0;
  for (let i = 0; i < 3 && last !== -1; i++) last = a.runOnce();
  t.is(last, -1);
  t.deepEqual(fired, rejected
    ? [['b', 20], ['a: foreign handle', 10], ['a: later', 30]]
    : [['b', 20], ['a: later', 30]]);
});

test('a host-woken real-clock loop keeps one host timer for its earliest timer and clears it once no timer is left', (t) => {
  const dist = require.resolve('gencoro');
  const script = [
    'const g = require(' + JSON.stringify(dist) + ');',
    'const loop = new g.IOLoop();',
    'const count = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;',
    'const seen = [count()];',
    'const h1 = loop.callLater(1e9, () => {}); seen.push(count());',
    'const h2 = loop.callLater(5e8, () => {}); seen.push(count());',
    'loop.removeTimeout(h2); seen.push(count());',
    'loop.removeTimeout(h1); seen.push(count());',
    'console.log(JSON.stringify(seen));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  t.deepEqual(JSON.parse(out), [0, 1, 1, 1, 0]);
});

// --- addFuture -----------------------------------------------------------------

test('addFuture on a done Future runs the callback in the next iteration, in queue order, not at once', (t) => {
  withLoop((loop) => {
    const order: unknown[] = [];
    const done = resolved('x');
    loop.addCallback(() => { order.push('a'); });
    loop.addFuture(done, (f) => { order.push('future', f, f.result()); });
    loop.addCallback(() => { order.push('c'); });
    t.deepEqual(order, []);
    loop.runOnce();
    t.deepEqual(order, ['a', 'future', done, 'x', 'c']);
  });
});

test('addFuture called from a callback on a done Future runs one iteration later', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addCallback(() => {
      loop.addFuture(resolved(1), () => { order.push('future callback'); });
      order.push('added');
    });
    loop.addCallback(() => { order.push('same iteration'); });
    loop.runOnce();
    t.deepEqual(order, ['added', 'same iteration']);
    loop.runOnce();
    t.deepEqual(order, ['added', 'same iteration', 'future callback']);
  });
});

test('addFuture on a pending Future runs the callback in the iteration after it is done, not inside setResult', (t) => {
  withLoop((loop) => {
    const f = new Future<number>();
    const seen: unknown[] = [];
    loop.addFuture(f, (done) => { seen.push(done); });
    t.is(loop.runOnce(), -1);
    t.deepEqual(seen, []);
    f.setResult(3);
    t.deepEqual(seen, []);
    loop.runOnce();
    t.deepEqual(seen, [f]);
  });
});

test('addFuture also gets the callback called for a failed Future, with the Future', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('failed input');
    const f = failed<number>(error);
    const seen: unknown[] = [];
    loop.addFuture(f, (done) => { seen.push(done.exception()); });
    loop.runOnce();
    t.deepEqual(seen, [error]);
    t.deepEqual(logs, []);
  });
});

test('addFuture accepts a thenable and gives the callback a Future of its value', (t) => {
  withLoop((loop) => {
    const thenable = { then(resolve: (v: string) => void): void { resolve('thenable value'); } } as unknown as PromiseLike<string>;
    const seen: unknown[] = [];
    loop.addFuture(thenable, (done) => { seen.push(done instanceof Future, done.result()); });
    loop.runOnce();
    t.deepEqual(seen, [true, 'thenable value']);
  });
});

test('addFuture with something that is not yieldable throws BadYieldError naming it, and queues nothing', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  let called = false;
  t.throws(() => loop.addFuture(42 as never, () => { called = true; }), {
    any: true,
    instanceOf: BadYieldError,
    message: /42 \(a number\)/,
  });
  t.is(loop.runOnce(), -1);
  t.false(called);
});

// --- errors in callbacks ---------------------------------------------------------

test('a callback that throws is logged as "Exception in callback function <name>" with the error itself, and the loop goes on', (t) => {
  withLoop((loop, logs) => {
    const error = new Error('callback failed');
    const order: string[] = [];
    loop.addCallback(function boom() { order.push('boom'); throw error; });
    loop.addCallback(() => { order.push('next'); });
    loop.callLater(10, function timerBoom() { order.push('timer'); throw error; });
    loop.callLater(20, () => { order.push('later'); loop.stop(); });
    t.notThrows(() => loop.start());
    t.deepEqual(order, ['boom', 'next', 'timer', 'later']);
    t.deepEqual(logs.map((l) => l.message), ['Exception in callback function boom', 'Exception in callback function timerBoom']);
    t.is(logs[0].error, error);
    t.is(logs[1].error, error);
  });
});

test('a callback that returns a failed Future, or a coroutine that fails later, has the failure logged with the error', (t) => {
  withLoop((loop, logs) => {
    const early = new Error('returned failed');
    const late = new Error('failed after a sleep');
    const failsLater = coroutine(function* () {
      yield sleep(100);
      throw late;
    });
    loop.addCallback(function returnsFailed() { return failed(early); });
    loop.addCallback(function returnsCoroutine() { return failsLater(); });
    loop.runOnce();
    t.deepEqual(logs.map((l) => [l.message, l.error]), [['Exception in callback function returnsFailed', early]]);
    loop.runSync(() => sleep(200));
    t.deepEqual(logs.map((l) => [l.message, l.error]), [
      ['Exception in callback function returnsFailed', early],
      ['Exception in callback function returnsCoroutine', late],
    ]);
  });
});

test('a callback returning a succeeding yieldable or a value that is not yieldable logs nothing', (t) => {
  withLoop((loop, logs) => {
    const order: string[] = [];
    loop.addCallback(() => resolved(1));
    loop.addCallback(() => 42);
    loop.addCallback(() => 'text');
    loop.addCallback(() => { order.push('after'); return sleep(10); });
    loop.callLater(20, () => { loop.stop(); });
    loop.start();
    t.deepEqual(order, ['after']);
    t.deepEqual(logs, []);
  });
});

// --- virtual clock -------------------------------------------------------------

test('a virtual clock starts at 0 and jumps to the next timer only when nothing but timers is left', (t) => {
  withLoop((loop) => {
    t.is(loop.time(), 0);
    const seen: Array<[string, number]> = [];
    loop.callLater(1000, () => { seen.push(['timer 1000', loop.time()]); });
    loop.callLater(5000, () => { seen.push(['timer 5000', loop.time()]); loop.stop(); });
    let n = 0;
    const chain = () => {
      seen.push(['callback ' + n, loop.time()]);
      if (++n < 3) loop.addCallback(chain);
    };
    loop.addCallback(chain);
    t.is(loop.time(), 0);
    loop.start();
    t.deepEqual(seen, [
      ['callback 0', 0], ['callback 1', 0], ['callback 2', 0],
      ['timer 1000', 1000], ['timer 5000', 5000],
    ]);
    t.is(loop.time(), 5000);
  });
});

test('a virtual clock does not move while a timer callback keeps queueing callbacks', (t) => {
  withLoop((loop) => {
    const seen: Array<[string, number]> = [];
    loop.callLater(10, () => {
      seen.push(['timer 10', loop.time()]);
      loop.addCallback(() => { seen.push(['callback', loop.time()]); });
    });
    loop.callLater(20, () => { seen.push(['timer 20', loop.time()]); loop.stop(); });
    loop.start();
    t.deepEqual(seen, [['timer 10', 10], ['callback', 10], ['timer 20', 20]]);
  });
});

// --- runSync ---------------------------------------------------------------------

test('runSync returns the value of the Future the function returns', (t) => {
  withLoop((loop) => {
    const slow = coroutine(function* (x: string) {
      yield sleep(60000);
      return x + '!';
    });
    t.is(loop.runSync(() => slow('done')), 'done!');
    t.is(loop.time(), 60000);
    t.is(loop.runSync(() => resolved(5)), 5);
  });
});

test('runSync throws the error of a failed result, and the error a function throws, as the same objects', (t) => {
  withLoop((loop) => {
    const error = new RangeError('failed later');
    const fails = coroutine(function* () {
      yield sleep(5);
      throw error;
    });
    t.is(t.throws(() => loop.runSync(() => fails())), error);
    const thrown = new Error('thrown by fn');
    t.is(t.throws(() => loop.runSync(() => { throw thrown; })), thrown);
  });
});

test('runSync throws BadYieldError naming the value when the function returns something not yieldable such as 42', (t) => {
  withLoop((loop) => {
    t.throws(() => loop.runSync(() => 42), { any: true, instanceOf: BadYieldError, message: /42 \(a number\)/ });
  });
});

test('runSync returns undefined when the function returns undefined, and null for null', (t) => {
  withLoop((loop) => {
    let called = 0;
    t.is(loop.runSync(() => { called++; }), undefined);
    t.is(called, 1);
    t.is(loop.runSync(() => null), null);
  });
});

test('runSync throws TimeoutError naming the timeout when the result is not done in time', (t) => {
  withLoop((loop) => {
    const never = new Future<number>();
    t.throws(() => loop.runSync(() => never, { timeout: 250 }), {
      any: true,
      instanceOf: TimeoutError,
      message: /timed out after 250 ms/,
    });
    t.is(loop.time(), 250);
    t.throws(() => loop.runSync(() => sleep(1000), { timeout: 10 }), { any: true, instanceOf: TimeoutError, message: /after 10 ms/ });
    t.is(loop.time(), 260);
  });
});

test('runSync with a timeout that is not reached returns the value and leaves no timer behind', (t) => {
  withLoop((loop) => {
    t.is(loop.runSync(() => sleep(10).then(() => 'in time'), { timeout: 1000 }), 'in time');
    t.is(loop.time(), 10);
    t.is(loop.runOnce(), -1);
    t.is(loop.time(), 10);
  });
});

test('runSync reports a result that waits on a native Promise as an Error that names the problem, instead of hanging', (t) => {
  withLoop((loop) => {
    t.throws(() => loop.runSync(() => Promise.resolve(1)), {
      instanceOf: Error,
      message: /nothing is left to run on this loop.*native Promise/,
    });
  });
});

test('runSync reports a result that nothing will ever complete as an Error instead of hanging', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  t.throws(() => loop.runSync(() => new Future<number>()), {
    instanceOf: Error,
    message: /nothing is left to run on this loop, so it never will be/,
  });
});

test('runSync makes its loop current during the call and restores the previous current loop', (t) => {
  withLoop((loop) => {
    const other = new IOLoop({ clock: 'virtual' });
    const seen: unknown[] = [];
    const result = other.runSync(() => {
      seen.push(IOLoop.current());
      return sleep(10).then(() => { seen.push(IOLoop.current()); return 'ok'; });
    });
    t.is(result, 'ok');
    t.is(seen[0], other);
    t.is(seen[1], other);
    t.is(IOLoop.current(), loop);
    // Also when the call fails.
    t.throws(() => other.runSync(() => { throw new Error('x'); }), { message: 'x' });
    t.is(IOLoop.current(), loop);
  });
});

test('runSync refuses to be nested inside the same loop, with an Error saying the loop is already running', (t) => {
  withLoop((loop) => {
    const inner: unknown[] = [];
    t.throws(() => loop.runSync(() => loop.runSync(() => 1)), { instanceOf: Error, message: /IOLoop\.runSync.*already running/ });
    loop.addCallback(() => {
      try {
        loop.runSync(() => 2);
      } catch (e) {
        inner.push(e);
      }
    });
    loop.runOnce();
    t.is(inner.length, 1);
    t.regex((inner[0] as Error).message, /IOLoop\.runSync.*already running/);
  });
});

test('runSync of another loop may run inside a callback of this one', (t) => {
  withLoop((loop) => {
    const other = new IOLoop({ clock: 'virtual' });
    const seen: unknown[] = [];
    loop.addCallback(() => { seen.push(other.runSync(() => sleep(50).then(() => 'inner'))); });
    loop.runOnce();
    t.deepEqual(seen, ['inner']);
    t.is(other.time(), 50);
    t.is(loop.time(), 0);
  });
});

test('runSync on a real-clock loop waits for a short real timer', (t) => {
  const loop = new IOLoop({ standalone: true });
  const order: string[] = [];
  const result = loop.runSync(() => {
    const f = new Future<string>();
    loop.callLater(5, () => { order.push('timer'); f.setResult('woke'); });
    loop.addCallback(() => { order.push('callback'); });
    order.push('fn');
    return f;
  });
  t.is(result, 'woke');
  t.deepEqual(order, ['fn', 'callback', 'timer']);
});

// --- start / stop ----------------------------------------------------------------

test('stop() before start() makes start() return at once without running anything, once', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addCallback(() => { order.push('queued'); });
    loop.stop();
    loop.start();
    t.deepEqual(order, []);
    loop.addCallback(() => { order.push('stopper'); loop.stop(); });
    loop.start();
    t.deepEqual(order, ['queued', 'stopper']);
  });
});

test('start() runs callbacks and timers until stop(), finishing the iteration in which stop() was called', (t) => {
  withLoop((loop) => {
    const order: string[] = [];
    loop.addCallback(() => { order.push('first'); });
    loop.callLater(100, () => {
      order.push('stop at 100');
      loop.stop();
      loop.addCallback(() => { order.push('next iteration'); });
    });
    loop.callLater(100, () => { order.push('same iteration'); });
    loop.callLater(200, () => { order.push('after stop'); });
    loop.start();
    t.deepEqual(order, ['first', 'stop at 100', 'same iteration']);
    t.is(loop.time(), 100);
    loop.addCallback(() => { order.push('restart'); });
    loop.callLater(150, () => { loop.stop(); });
    loop.start();
    t.deepEqual(order, ['first', 'stop at 100', 'same iteration', 'next iteration', 'restart', 'after stop']);
    t.is(loop.time(), 250);
  });
});

test('start() with nothing left that could call stop() throws an Error instead of hanging', (t) => {
  withLoop((loop) => {
    t.throws(() => loop.start(), { instanceOf: Error, message: /IOLoop\.start.*nothing is left to run/ });
    const order: string[] = [];
    loop.callLater(10, () => { order.push('timer'); });
    t.throws(() => loop.start(), { instanceOf: Error, message: /IOLoop\.start.*nothing is left to run/ });
    t.deepEqual(order, ['timer']);
  });
});

test('start() inside a callback of the same loop throws an Error saying the loop is already running', (t) => {
  withLoop((loop) => {
    const seen: unknown[] = [];
    loop.addCallback(() => {
      try {
        loop.start();
      } catch (e) {
        seen.push(e);
      }
    });
    loop.runOnce();
    t.is(seen.length, 1);
    t.regex((seen[0] as Error).message, /IOLoop\.start.*already running/);
  });
});

// --- runOnce -------------------------------------------------------------------

test('runOnce returns 0 while callbacks are queued and -1 when nothing is scheduled', (t) => {
  withLoop((loop) => {
    t.is(loop.runOnce(), -1);
    loop.addCallback(() => { loop.addCallback(() => {}); });
    t.is(loop.runOnce(), 0);
    t.is(loop.runOnce(), -1);
  });
});

test('runOnce on a real-clock loop returns the ms left until the next timer', (t) => {
  const loop = new IOLoop({ standalone: true });
  const deadline = loop.time() + 1e9;
  loop.addTimeout(deadline, () => {});
  const before = loop.time();
  const wait = loop.runOnce();
  const after = loop.time();
  t.true(wait <= deadline - before, String(wait));
  t.true(wait >= deadline - after, String(wait));
});

test('runOnce on a virtual loop with only timers left jumps to the next one, and returns 0 while timers remain', (t) => {
  withLoop((loop) => {
    const seen: number[] = [];
    loop.callLater(700, () => { seen.push(loop.time()); });
    loop.callLater(900, () => { seen.push(loop.time()); });
    t.is(loop.runOnce(), 0);
    t.deepEqual(seen, [700]);
    t.is(loop.runOnce(), -1);
    t.deepEqual(seen, [700, 900]);
  });
});

// --- host wake-ups ----------------------------------------------------------------

test('a standalone loop never runs by itself; runOnce runs what was queued', async (t) => {
  const loop = new IOLoop({ standalone: true });
  const order: string[] = [];
  loop.addCallback(() => { order.push('callback'); });
  loop.callLater(0, () => { order.push('timer'); });
  await hostTurns(5);
  t.deepEqual(order, []);
  loop.runOnce();
  t.deepEqual(order, ['callback', 'timer']);
});

test('a host-woken loop runs its callbacks and timers by itself', async (t) => {
  const loop = new IOLoop();
  const order: string[] = [];
  const done = new Future<void>();
  loop.addCallback(() => { order.push('callback'); });
  loop.callLater(0, () => { order.push('timer'); done.setResult(undefined); });
  t.deepEqual(order, []);
  await done;
  t.deepEqual(order, ['callback', 'timer']);
});

test('await loop.run(fn) gives the result of a coroutine on a host-woken loop, or throws its error', async (t) => {
  const loop = new IOLoop();
  const seen: unknown[] = [];
  const work = coroutine(function* (x: number) {
    seen.push(IOLoop.current() === loop);
    yield sleep(0);
    return x * 3;
  });
  t.is(await loop.run(() => work(7)), 21);
  t.deepEqual(seen, [true]);
  t.is(await loop.run(() => undefined), undefined);
  await t.throwsAsync(async () => { await loop.run(() => 'plain'); }, { any: true, instanceOf: BadYieldError, message: /"plain" \(a string\)/ });
  const error = new Error('run failed');
  t.is(await t.throwsAsync(async () => { await loop.run(() => { throw error; }); }), error);
});

test('await loop.run(fn) on a host-woken virtual loop jumps over long sleeps', async (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  const work = coroutine(function* () {
    yield sleep(3600000);
    return loop.time();
  });
  t.is(await loop.run(() => work()), 3600000);
});

// --- current loop ----------------------------------------------------------------

test('IOLoop.current() returns the loop made current; after clearCurrent() it makes a fresh loop', (t) => {
  withLoop((loop) => {
    t.is(IOLoop.current(), loop);
    const other = new IOLoop({ clock: 'virtual' });
    other.makeCurrent();
    t.is(IOLoop.current(), other);
    IOLoop.clearCurrent();
    const fresh = IOLoop.current();
    t.true(fresh instanceof IOLoop);
    t.not(fresh, loop);
    t.not(fresh, other);
    t.is(IOLoop.current(), fresh);
  });
});

// --- bad input -------------------------------------------------------------------

test('new IOLoop with an unknown option, a bad clock or non-object options throws a TypeError naming the problem', (t) => {
  t.throws(() => new IOLoop({ clok: 'virtual' } as never), { instanceOf: TypeError, message: /unknown option "clok"/ });
  t.throws(() => new IOLoop({ clock: 'fast' } as never), { instanceOf: TypeError, message: /clock must be "real" or "virtual".*"fast"/ });
  t.throws(() => new IOLoop(42 as never), { instanceOf: TypeError, message: /options must be an object/ });
  t.throws(() => new IOLoop(null as never), { instanceOf: TypeError, message: /options must be an object/ });
});

test('new IOLoop with a standalone option that is not a boolean throws a TypeError naming the problem', (t) => {
  t.throws(() => new IOLoop({ standalone: 'yes' } as never), { instanceOf: TypeError, message: /standalone/ });
});

test('loop methods given a callback that is not a function throw a TypeError naming the method', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  t.throws(() => loop.addCallback(42 as never), { instanceOf: TypeError, message: /IOLoop\.addCallback.*expected a function.*42 \(a number\)/ });
  t.throws(() => loop.addTimeout(1, 'f' as never), { instanceOf: TypeError, message: /IOLoop\.addTimeout.*expected a function/ });
  t.throws(() => loop.callLater(1, undefined as never), { instanceOf: TypeError, message: /expected a function.*undefined/ });
  t.throws(() => loop.callAt(1, {} as never), { instanceOf: TypeError, message: /expected a function/ });
  t.throws(() => loop.addFuture(new Future(), null as never), { instanceOf: TypeError, message: /IOLoop\.addFuture.*expected a function/ });
  t.throws(() => loop.runSync(7 as never), { instanceOf: TypeError, message: /IOLoop\.runSync.*expected a function/ });
  t.throws(() => loop.run('x' as never), { instanceOf: TypeError, message: /IOLoop\.run.*expected a function/ });
  t.is(loop.runOnce(), -1);
});

test('a deadline, time or delay that is not a finite number throws a TypeError naming it', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  const cb = () => {};
  t.throws(() => loop.addTimeout(NaN, cb), { instanceOf: TypeError, message: /IOLoop\.addTimeout.*deadline must be a finite number.*NaN/ });
  t.throws(() => loop.addTimeout(Infinity, cb), { instanceOf: TypeError, message: /deadline must be a finite number.*Infinity/ });
  t.throws(() => loop.addTimeout('10' as never, cb), { instanceOf: TypeError, message: /deadline must be a finite number.*"10" \(a string\)/ });
  t.throws(() => loop.callLater(-Infinity, cb), { instanceOf: TypeError, message: /IOLoop\.callLater.*delay must be a finite number/ });
  t.throws(() => loop.callLater(undefined as never, cb), { instanceOf: TypeError, message: /delay must be a finite number/ });
  t.throws(() => loop.callAt(NaN, cb), { instanceOf: TypeError, message: /must be a finite number/ });
  t.is(loop.runOnce(), -1);
});

test('removeTimeout with something that is not a handle throws a TypeError naming the problem', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  t.throws(() => loop.removeTimeout(42 as never), { instanceOf: TypeError, message: /IOLoop\.removeTimeout.*handle.*42 \(a number\)/ });
  t.throws(() => loop.removeTimeout({ deadline: 1 } as never), { instanceOf: TypeError, message: /IOLoop\.removeTimeout.*handle/ });
});

test('runSync with a bad timeout or an unknown option throws a TypeError naming the problem, without calling fn', (t) => {
  const loop = new IOLoop({ clock: 'virtual', standalone: true });
  let called = 0;
  const fn = () => { called++; };
  t.throws(() => loop.runSync(fn, { timeout: -1 }), { instanceOf: TypeError, message: /timeout must be a non-negative number.*-1/ });
  t.throws(() => loop.runSync(fn, { timeout: NaN }), { instanceOf: TypeError, message: /timeout must be a non-negative number/ });
  t.throws(() => loop.runSync(fn, { timeout: Infinity }), { instanceOf: TypeError, message: /timeout must be a non-negative number/ });
  t.throws(() => loop.runSync(fn, { timeout: '5' } as never), { instanceOf: TypeError, message: /timeout must be a non-negative number/ });
  t.throws(() => loop.runSync(fn, { timout: 5 } as never), { instanceOf: TypeError, message: /unknown option "timout"/ });
  t.throws(() => loop.runSync(fn, 5 as never), { instanceOf: TypeError, message: /options must be an object/ });
  t.is(called, 0);
  t.is(loop.runOnce(), -1);
});

test('runSync returns the result when loop.stop() was called but the result was done by then (as Tornado does); throws when it was not', (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  t.is(loop.runSync(coroutine(function* () { loop.stop(); return 5; })), 5);
  t.is(loop.runSync(coroutine(function* () { yield sleep(1); loop.stop(); return 6; })), 6);
  t.is(loop.runSync(() => sleep(1).then(() => 'the stop was used up')), 'the stop was used up');
  const error = t.throws(() => loop.runSync(coroutine(function* () { loop.stop(); yield sleep(1); return 7; })));
  t.is(error!.message, '[gencoro] IOLoop.runSync: loop.stop() was called before the result was done');
});

test('callLater and callAt name themselves when the callback or the time is wrong', (t) => {
  const loop = new IOLoop({ clock: 'virtual' });
  const bad = (f: () => unknown) => t.throws(f, { instanceOf: TypeError })!.message;
  t.is(bad(() => loop.callLater(5, 'x' as unknown as () => void)), '[gencoro] IOLoop.callLater: expected a function, got "x" (a string)');
  t.is(bad(() => loop.callAt(5, null as unknown as () => void)), '[gencoro] IOLoop.callAt: expected a function, got null');
  t.is(bad(() => loop.callAt('x' as unknown as number, () => 1)), '[gencoro] IOLoop.callAt: when must be a finite number of ms, got "x" (a string)');
});
