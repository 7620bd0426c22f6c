import test from 'ava';
import { coroutine, moment, maybeFuture, multi } from 'gencoro';
import { withLoop } from './helpers/loop.js';

test('two coroutines yielding ready futures run one after the other; yielding moment, they interleave', (t) => {
  withLoop((loop) => {
    let out = '';
    const run = coroutine(function* (name: string, useMoment: boolean) {
      for (let i = 0; i < 5; i++) {
        out += name;
        yield useMoment ? moment : maybeFuture(i);
      }
    });
    loop.runSync(() => multi([run('a', false), run('b', false)]));
    t.is(out, 'aaaaabbbbb');
    out = '';
    loop.runSync(() => multi([run('a', true), run('b', true)]));
    t.is(out, 'ababababab');
  });
});
