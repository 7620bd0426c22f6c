import test from 'ava';
import { Future, maybeFuture } from 'gencoro';
import { withLoop } from './helpers/loop.js';

test('a Future is returned as it is, whether pending, done or failed', (t) => {
  const pending = new Future<number>();
  t.is(maybeFuture(pending), pending);
  t.false(pending.done());
  const done = new Future<string>();
  done.setResult('x');
  t.is(maybeFuture(done), done);
  const bad = new Future<string>();
  const error = new Error('failed');
  bad.setException(error);
  t.is(maybeFuture(bad), bad);
  t.is(bad.exception(), error);
});

test('any other value is wrapped in a new Future that is already done with that value', (t) => {
  for (const value of [42, 'text', 0, false, null, undefined, { a: 1 }, Symbol('s')]) {
    const f = maybeFuture(value);
    t.true(f instanceof Future);
    t.true(f.done());
    t.is(f.result(), value);
    t.is(f.exception(), undefined);
  }
  t.not(maybeFuture(1), maybeFuture(1));
});

test('an array is wrapped as a value, not converted through multi', (t) => {
  const inner = new Future<number>();
  const list = [inner, null];
  const f = maybeFuture(list);
  t.true(f.done());
  t.is(f.result(), list);
  t.is(f.result()[0], inner);
  t.false(inner.done());
});

test('a thenable is wrapped as a value: its then is never called', (t) => {
  withLoop(() => {
    let thenCalls = 0;
    const thenable = { then(onFulfilled: (v: number) => void) { thenCalls++; onFulfilled(1); } };
    const f = maybeFuture<typeof thenable>(thenable);
    t.true(f.done());
    t.is(f.result(), thenable);
    t.is(thenCalls, 0);

    const promise = Promise.resolve(5);
    t.is(maybeFuture<Promise<number>>(promise).result(), promise);
  });
});
