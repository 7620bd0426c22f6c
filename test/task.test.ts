import test from 'ava';
import { Arguments, Future, Task, coroutine } from 'gencoro';
import { withLoop } from './helpers/loop.js';

type Cb = (...args: unknown[]) => void;

test('Task calls fn(...args, callback) synchronously, with the callback as the last argument', (t) => {
  withLoop(() => {
    const calls: unknown[][] = [];
    const order: string[] = [];
    const f = Task((...args: unknown[]) => { order.push('fn'); calls.push(args); }, 1, 'two', null);
    order.push('returned');
    t.deepEqual(order, ['fn', 'returned']);
    t.is(calls.length, 1);
    t.is(calls[0].length, 4);
    t.deepEqual(calls[0].slice(0, 3), [1, 'two', null]);
    t.is(typeof calls[0][3], 'function');
    t.true(f instanceof Future);
    t.false(f.done());
  });
});

test('Task with no extra arguments passes the callback as the only argument', (t) => {
  withLoop(() => {
    let seen: unknown[] = [];
    Task((...args: unknown[]) => { seen = args; });
    t.is(seen.length, 1);
    t.is(typeof seen[0], 'function');
  });
});

test('a callback called with no argument gives undefined', (t) => {
  withLoop(() => {
    const f = Task((cb: Cb) => { cb(); });
    t.true(f.done());
    t.is(f.result(), undefined);
  });
});

test('a callback called with one argument gives that value, even an array, undefined or null', (t) => {
  withLoop(() => {
    const value = { x: 1 };
    t.is(Task((cb: Cb) => { cb(value); }).result(), value);
    const list = [1, 2];
    const fromList = Task((cb: Cb) => { cb(list); }).result();
    t.is(fromList, list);
    t.false(fromList instanceof Arguments);
    t.is(Task((cb: Cb) => { cb(undefined); }).result(), undefined);
    t.is(Task((cb: Cb) => { cb(null); }).result(), null);
  });
});

test('a callback called with several arguments gives Arguments with args [a, b] and kwargs {}', (t) => {
  withLoop(() => {
    const f = Task((cb: Cb) => { cb('a', 2); });
    const r = f.result();
    t.true(r instanceof Arguments);
    t.deepEqual((r as Arguments).args, ['a', 2]);
    t.true(Array.isArray((r as Arguments).args));
    t.deepEqual((r as Arguments).kwargs, {});
    const three = Task((cb: Cb) => { cb(null, undefined, 3); }).result() as Arguments;
    t.deepEqual(three.args, [null, undefined, 3]);
    t.is(three.args.length, 3);
  });
});

test('a callback called later resolves the Future then, and a coroutine waiting on the Task resumes with the value', (t) => {
  withLoop((loop) => {
    const readLater = (name: string, cb: Cb) => { loop.callLater(40, () => { cb(null, 'contents of ' + name); }); };
    const run = coroutine(function* () {
      const single: string = yield Task((cb: Cb) => { loop.callLater(10, () => { cb('one'); }); });
      const r: Arguments = yield Task(readLater, 'file.txt');
      return { single, args: r.args, at: loop.time() };
    });
    t.deepEqual(loop.runSync(() => run()), { single: 'one', args: [null, 'contents of file.txt'], at: 50 });
  });
});

test('a second call of the callback is ignored: the first result stays and nothing throws or is logged', (t) => {
  withLoop((loop, logs) => {
    let callback: Cb | undefined;
    const f = Task((cb: Cb) => { callback = cb; });
    callback!(1);
    t.notThrows(() => { callback!(2); });
    t.notThrows(() => { callback!(); });
    t.is(f.result(), 1);
    t.deepEqual(logs, []);
    t.is(loop.runOnce(), -1);
  });
});

test('a synchronous throw from fn fails the Future with that error instead of reaching the caller', (t) => {
  withLoop(() => {
    const error = new Error('sync throw');
    let f: Future<unknown> | undefined;
    t.notThrows(() => { f = Task(() => { throw error; }); });
    t.true(f!.done());
    t.is(f!.exception(), error);
  });
});

test('an error thrown by fn after it called the callback is rethrown to the caller, as 4.5 does once the Future is done', (t) => {
  withLoop(() => {
    const error = new Error('after callback');
    let f: Future<unknown> | undefined;
    const thrown = t.throws(() => { f = Task((cb: Cb) => { cb('kept'); throw error; }); });
    t.is(thrown, error);
    t.is(f, undefined);
  });
});

test('Task(42) throws a TypeError naming the value', (t) => {
  t.throws(() => Task(42 as never), { instanceOf: TypeError, message: /Task: expected a function, got 42 \(a number\)/ });
  t.throws(() => Task(null as never), { instanceOf: TypeError, message: /Task: expected a function, got null/ });
});

test('new Arguments(args, kwargs) keeps both as given; kwargs defaults to {}', (t) => {
  const kwargs = { k: 2 };
  const a = new Arguments([1], kwargs);
  t.deepEqual(a.args, [1]);
  t.deepEqual(a.kwargs, { k: 2 });
  t.is(a.kwargs, kwargs);
  const b = new Arguments([1, 2]);
  t.deepEqual(b.args, [1, 2]);
  t.deepEqual(b.kwargs, {});
  t.true(b instanceof Arguments);
});
