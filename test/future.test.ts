import test from 'ava';
import { execFileSync } from 'node:child_process';
import { Future, IOLoop, coroutine, sleep } from 'gencoro';
import { withLoop } from './helpers/loop.js';
import { failed, resolved } from './helpers/futures.js';

// --- state -----------------------------------------------------------------

test('a new Future is running and not done; once set it is done and not running', (t) => {
  const f = new Future<number>();
  t.false(f.done());
  t.true(f.running());
  f.setResult(1);
  t.true(f.done());
  t.false(f.running());

  const g = new Future<number>();
  g.setException(new Error('x'));
  t.true(g.done());
  t.false(g.running());
  g.exception();
});

test('cancel() always returns false and changes nothing; cancelled() is always false', (t) => {
  const f = new Future<number>();
  t.false(f.cancel());
  t.false(f.cancelled());
  t.false(f.done());
  t.true(f.running());
  f.setResult(3);
  t.false(f.cancel());
  t.false(f.cancelled());
  t.is(f.result(), 3);
});

test('result() and exception() on a pending Future throw an Error saying it is not done yet', (t) => {
  const f = new Future<number>();
  t.throws(() => f.result(), { instanceOf: Error, message: /Future\.result\(\).*not done yet/ });
  t.throws(() => f.exception(), { instanceOf: Error, message: /Future\.exception\(\).*not done yet/ });
  t.false(f.done());
});

test('a succeeded Future returns its value from result() and undefined from exception()', (t) => {
  const value = { answer: 42 };
  const f = resolved(value);
  t.is(f.result(), value);
  t.is(f.exception(), undefined);
  const u = resolved(undefined);
  t.is(u.result(), undefined);
  t.is(u.exception(), undefined);
});

test('a failed Future throws the stored error object itself from result() and returns it from exception()', (t) => {
  const error = new RangeError('stored');
  const f = failed<number>(error);
  const thrown = t.throws(() => f.result());
  t.is(thrown, error);
  t.is(f.exception(), error);
  // A second result() throws the same object again.
  t.is(t.throws(() => f.result()), error);
});

test('a Future may fail with a value that is not an Error, and result() throws that value', (t) => {
  const f = failed<number>('plain reason');
  let caught: unknown = null;
  try {
    f.result();
  } catch (e) {
    caught = e;
  }
  t.is(caught, 'plain reason');
  t.is(f.exception(), 'plain reason');
});

// --- done callbacks ----------------------------------------------------------

test('addDoneCallback on a pending Future does not call it; setResult runs the callbacks synchronously in the order they were added', (t) => {
  const f = new Future<string>();
  const calls: Array<[string, unknown, string]> = [];
  f.addDoneCallback((done) => { calls.push(['a', done, done.result()]); });
  f.addDoneCallback((done) => { calls.push(['b', done, done.result()]); });
  f.addDoneCallback((done) => { calls.push(['c', done, done.result()]); });
  t.deepEqual(calls, []);
  f.setResult('v');
  t.deepEqual(calls, [['a', f, 'v'], ['b', f, 'v'], ['c', f, 'v']]);
});

test('setException runs the callbacks synchronously in the order they were added, each seeing the error', (t) => {
  const f = new Future<string>();
  const error = new Error('failed');
  const calls: Array<[string, unknown]> = [];
  f.addDoneCallback((done) => { calls.push(['first', done.exception()]); });
  f.addDoneCallback((done) => { calls.push(['second', done.exception()]); });
  f.setException(error);
  t.deepEqual(calls, [['first', error], ['second', error]]);
});

test('a callback added by a callback while setResult runs is called at once, inside the same setResult', (t) => {
  const f = new Future<number>();
  const order: string[] = [];
  f.addDoneCallback((done) => {
    order.push('outer');
    done.addDoneCallback(() => { order.push('inner'); });
    order.push('outer-after');
  });
  f.addDoneCallback(() => { order.push('second'); });
  f.setResult(1);
  order.push('after setResult');
  t.deepEqual(order, ['outer', 'inner', 'outer-after', 'second', 'after setResult']);
});

test('addDoneCallback on a done Future runs the callback at once with the Future', (t) => {
  const f = resolved(5);
  const seen: unknown[] = [];
  f.addDoneCallback((done) => { seen.push(done, done.result()); });
  t.deepEqual(seen, [f, 5]);
});

test('addDoneCallback on a done Future lets an error thrown by the callback reach the caller', (t) => {
  withLoop((_loop, logs) => {
    const f = resolved(5);
    const error = new Error('from callback');
    const thrown = t.throws(() => f.addDoneCallback(() => { throw error; }));
    t.is(thrown, error);
    t.deepEqual(logs, []);
  });
});

test('a throwing done-callback is logged as "Exception in callback for Future" with the error itself, and the later callbacks still run', (t) => {
  withLoop((_loop, logs) => {
    const f = new Future<number>();
    const error = new TypeError('bad callback');
    const order: string[] = [];
    f.addDoneCallback(() => { order.push('a'); });
    f.addDoneCallback(() => { order.push('b'); throw error; });
    f.addDoneCallback(() => { order.push('c'); });
    t.notThrows(() => f.setResult(1));
    t.deepEqual(order, ['a', 'b', 'c']);
    t.is(logs.length, 1);
    t.is(logs[0].message, 'Exception in callback for Future');
    t.is(logs[0].error, error);
  });
});

test('a throwing done-callback during setException is logged too, and setException does not throw', (t) => {
  withLoop((_loop, logs) => {
    const f = new Future<number>();
    const thrown = new Error('callback broke');
    const order: string[] = [];
    f.addDoneCallback(() => { order.push('a'); throw thrown; });
    f.addDoneCallback((done) => { order.push('b'); done.exception(); });
    t.notThrows(() => f.setException(new Error('the failure')));
    t.deepEqual(order, ['a', 'b']);
    t.deepEqual(logs.map((l) => [l.message, l.error]), [['Exception in callback for Future', thrown]]);
  });
});

test('addDoneCallback with something that is not a function throws a TypeError naming the method', (t) => {
  const f = new Future<number>();
  t.throws(() => f.addDoneCallback(42 as never), { instanceOf: TypeError, message: /Future\.addDoneCallback.*function/ });
  const g = resolved(1);
  t.throws(() => g.addDoneCallback(null as never), { instanceOf: TypeError, message: /Future\.addDoneCallback.*function/ });
});

// --- setting twice -----------------------------------------------------------

test('setResult on a Future that already has a result throws an Error naming setResult, and the first result stays', (t) => {
  const f = new Future<number>();
  let calls = 0;
  f.addDoneCallback(() => { calls++; });
  f.setResult(1);
  t.throws(() => f.setResult(2), { instanceOf: Error, message: /Future\.setResult.*already done/ });
  t.is(f.result(), 1);
  t.is(calls, 1);
});

test('setException on a Future that already has a result throws an Error naming setException, and the result stays', (t) => {
  const f = resolved(1);
  t.throws(() => f.setException(new Error('late')), { instanceOf: Error, message: /Future\.setException.*already done/ });
  t.is(f.result(), 1);
  t.is(f.exception(), undefined);
});

test('setResult or setException on a failed Future throws an Error naming the method, and the first error stays', (t) => {
  const error = new Error('first');
  const f = failed<number>(error);
  t.throws(() => f.setResult(2), { instanceOf: Error, message: /Future\.setResult.*already done/ });
  t.throws(() => f.setException(new Error('second')), { instanceOf: Error, message: /Future\.setException.*already done/ });
  t.is(f.exception(), error);
});

// --- no adoption in setResult --------------------------------------------------

test('a Future passed to setResult is stored as it is, not adopted', (t) => {
  const inner = new Future<number>();
  const outer = new Future<Future<number>>();
  outer.setResult(inner);
  t.true(outer.done());
  t.is(outer.result(), inner);
  t.false(inner.done());
  inner.setResult(7);
  t.is(outer.result(), inner);
});

test('a thenable passed to setResult is stored as it is, and its then is never called', (t) => {
  let thenCalls = 0;
  const thenable = { then(): void { thenCalls++; } };
  const f = new Future<typeof thenable>();
  f.setResult(thenable);
  t.is(f.result(), thenable);
  t.is(thenCalls, 0);
});

// --- then / catch ----------------------------------------------------------------

test('then handlers run through the current loop, not synchronously inside setResult', (t) => {
  withLoop((loop) => {
    const f = new Future<number>();
    const seen: unknown[] = [];
    f.then((v) => { seen.push(v); });
    f.setResult(1);
    t.deepEqual(seen, []);
    loop.runOnce();
    t.deepEqual(seen, [1]);
  });
});

test('then on a Future that is already done still runs the handler in a later loop iteration', (t) => {
  withLoop((loop) => {
    const f = resolved('ready');
    const seen: unknown[] = [];
    f.then((v) => { seen.push(v); });
    t.deepEqual(seen, []);
    loop.runOnce();
    t.deepEqual(seen, ['ready']);
  });
});

test('onRejected runs through the loop with the error itself, not synchronously inside setException', (t) => {
  withLoop((loop) => {
    const f = new Future<number>();
    const error = new Error('no');
    const seen: unknown[] = [];
    f.then(() => { seen.push('fulfilled'); }, (e) => { seen.push(e); });
    f.setException(error);
    t.deepEqual(seen, []);
    loop.runOnce();
    t.is(seen.length, 1);
    t.is(seen[0], error);
  });
});

test('then handlers of one Future run in the order they were registered', (t) => {
  withLoop((loop) => {
    const f = new Future<number>();
    const order: string[] = [];
    f.then(() => { order.push('1'); });
    f.then(() => { order.push('2'); });
    f.catch(() => { order.push('never'); });
    f.then(() => { order.push('3'); });
    f.setResult(0);
    loop.runOnce();
    t.deepEqual(order, ['1', '2', '3']);
  });
});

test('then returns a new Future that follows the handler value, so values chain', (t) => {
  withLoop((loop) => {
    const f = new Future<number>();
    const chained = f.then((v) => v + 1).then((v) => v * 10).then((v) => 'n=' + v);
    t.true(chained instanceof Future);
    t.not(chained as unknown, f);
    loop.callLater(5, () => { f.setResult(2); });
    t.is(loop.runSync(() => chained), 'n=30');
  });
});

test('then without handlers passes the value and the failure through unchanged', (t) => {
  withLoop((loop) => {
    const error = new Error('passed');
    const ok = resolved(9).then().then(null, null);
    t.is(loop.runSync(() => ok), 9);
    const bad = failed<number>(error).then((v) => v + 1).then();
    t.is(t.throws(() => loop.runSync(() => bad)), error);
  });
});

test('a then handler returning a thenable makes the chained Future adopt that thenable', (t) => {
  withLoop((loop) => {
    const syncThenable = { then(resolve: (v: string) => void): void { resolve('sync-thenable'); } } as unknown as PromiseLike<string>;
    t.is(loop.runSync(() => resolved(0).then(() => syncThenable)), 'sync-thenable');

    const laterThenable = {
      then(resolve: (v: string) => void): void { loop.callLater(100, () => resolve('later-thenable')); },
    } as unknown as PromiseLike<string>;
    t.is(loop.runSync(() => resolved(0).then(() => laterThenable)), 'later-thenable');
    t.is(loop.time(), 100);

    const error = new Error('rejecting thenable');
    const rejecting = { then(_: unknown, reject: (e: unknown) => void): void { reject(error); } };
    t.is(t.throws(() => loop.runSync(() => resolved(0).then(() => rejecting))), error);
  });
});

test('a then handler returning a pending Future makes the chained Future wait for it and take its outcome', (t) => {
  withLoop((loop) => {
    const other = new Future<string>();
    loop.callLater(50, () => { other.setResult('from other'); });
    const chained = resolved(1).then(() => other);
    t.is(loop.runSync(() => chained), 'from other');
    t.is(loop.time(), 50);

    const error = new Error('other failed');
    const otherFailing = new Future<string>();
    loop.callLater(10, () => { otherFailing.setException(error); });
    t.is(t.throws(() => loop.runSync(() => resolved(1).then(() => otherFailing))), error);
  });
});

test('a then handler returning a coroutine result adopts it', (t) => {
  withLoop((loop) => {
    const later = coroutine(function* (x: number) {
      yield sleep(1000);
      return x * 2;
    });
    t.is(loop.runSync(() => resolved(21).then((v) => later(v))), 42);
    t.is(loop.time(), 1000);
  });
});

test('a then handler that throws rejects the chained Future with that error, and catch receives it', (t) => {
  withLoop((loop) => {
    const error = new SyntaxError('handler threw');
    const seen: unknown[] = [];
    const result = resolved(1)
      .then(() => { throw error; })
      .then(() => 'skipped')
      .catch((e) => { seen.push(e); return 'recovered'; });
    t.is(loop.runSync(() => result), 'recovered');
    t.is(seen.length, 1);
    t.is(seen[0], error);
  });
});

test('catch on a succeeded Future passes the value through without calling the handler', (t) => {
  withLoop((loop) => {
    let called = false;
    const result = resolved('kept').catch(() => { called = true; return 'replaced'; });
    t.is(loop.runSync(() => result), 'kept');
    t.false(called);
  });
});

test('a then handler returning the very Future it resolves rejects it with a TypeError', (t) => {
  withLoop((loop) => {
    const f = resolved(1);
    // eslint-disable-next-line prefer-const
    let chained: Future<unknown>;
    chained = f.then(() => chained);
    t.throws(() => loop.runSync(() => chained), { instanceOf: TypeError, message: /returned the Future it resolves/ });
  });
});

test.serial('await on a Future gives its value, and await on a failed Future throws the stored error', async (t) => {
  const f = new Future<number>();
  setImmediate(() => { f.setResult(7); });
  t.is(await f, 7);

  const error = new Error('awaited failure');
  const g = new Future<number>();
  setImmediate(() => { g.setException(error); });
  const thrown = await t.throwsAsync(async () => { await g; });
  t.is(thrown, error);

  t.is(await resolved('done already'), 'done already');
});

test.serial('await works on a coroutine result run by a host-woken loop made current', async (t) => {
  const loop = new IOLoop();
  const previous = IOLoop.current();
  loop.makeCurrent();
  try {
    const add = coroutine(function* (a: number, b: number) {
      yield sleep(0);
      return a + b;
    });
    t.is(await add(2, 3), 5);
    t.is(await loop.run(() => add(4, 5)), 9);
  } finally {
    previous.makeCurrent();
  }
});

// --- unobserved failures ----------------------------------------------------------

function runChild(body: string): string {
  const dist = require.resolve('gencoro');
  const script =
    'const g = require(' + JSON.stringify(dist) + ');\n' +
    'g.setLogger((message, error) => {\n' +
    '  console.log("LOG " + JSON.stringify([message, error instanceof Error ? error.message : String(error)]));\n' +
    '});\n' +
    body + '\n' +
    'let turns = 0;\n' +
    '(function tick() { gc(); if (++turns < 20) setImmediate(tick); else console.log("END"); })();\n';
  return execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
}

test('a failed Future nobody looked at is logged as "Future exception was never retrieved", with the error, when it is garbage-collected', (t) => {
  const out = runChild(
    '(function () { const f = new g.Future(); f.setException(new Error("lost failure")); })();',
  );
  t.true(out.includes('END'), out);
  t.deepEqual(
    out.split('\n').filter((line) => line.startsWith('LOG ')),
    ['LOG ' + JSON.stringify(['Future exception was never retrieved', 'lost failure'])],
  );
});

test('a failed Future whose failure was observed (result, exception, catch, a done-callback) is not logged when garbage-collected', (t) => {
  const out = runChild([
    '(function () {',
    '  const a = new g.Future(); a.setException(new Error("seen by exception")); a.exception();',
    '  const b = new g.Future(); b.setException(new Error("seen by result")); try { b.result(); } catch (e) {}',
    '  const c = new g.Future(); c.setException(new Error("seen by catch")); c.catch(() => {});',
    '  const d = new g.Future(); d.setException(new Error("seen by callback")); d.addDoneCallback((f) => f.exception());',
    '  const e = new g.Future(); e.addDoneCallback((f) => f.exception()); e.setException(new Error("seen while set"));',
    '  const x = new g.Future(); x.setException(new Error("control: lost"));',
    '})();',
  ].join('\n'));
  t.true(out.includes('END'), out);
  t.deepEqual(
    out.split('\n').filter((line) => line.startsWith('LOG ')),
    ['LOG ' + JSON.stringify(['Future exception was never retrieved', 'control: lost'])],
  );
});

// V8 keeps the frames of an Error whose stack nobody read, and a coroutine's frames reach its own
// Future: the loss watch must not be what keeps that Future alive (it once was, so these were never logged).
test('failed coroutines nobody waits for are logged when garbage-collected: failing at once, after a yield, and a withTimeout', (t) => {
  const out = runChild([
    'const loop = new g.IOLoop({ clock: "virtual" }); loop.makeCurrent();',
    '(function () {',
    '  g.coroutine(function* () { throw new Error("failed at once"); })();',
    '  g.coroutine(function* () { yield g.sleep(1); throw new Error("failed after a yield"); })();',
    '  g.withTimeout(1, g.sleep(10));',
    '})();',
    'loop.runSync(() => g.sleep(20));',
  ].join('\n'));
  t.true(out.includes('END'), out);
  t.deepEqual(out.split('\n').filter((line) => line.startsWith('LOG ')).sort(), [
    'LOG ' + JSON.stringify(['Future exception was never retrieved', '[gencoro] withTimeout: timed out after 1 ms']),
    'LOG ' + JSON.stringify(['Future exception was never retrieved', 'failed after a yield']),
    'LOG ' + JSON.stringify(['Future exception was never retrieved', 'failed at once']),
  ]);
});

test('a then() chain of 20,000 handlers that each return a Future settles without a stack overflow', (t) => {
  withLoop((loop) => {
    const count = (i: number): Future<string> => i === 0 ? sleep(1).then(() => 'end') : sleep(0).then(() => count(i - 1));
    t.is(loop.runSync(() => count(20000)), 'end');
  });
});
