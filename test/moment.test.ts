import test from 'ava';
import { Future, convertYielded, coroutine, maybeFuture, moment, multi, withTimeout } from 'gencoro';
import { withLoop } from './helpers/loop.js';

test('moment is a Future that is already done with the result undefined', (t) => {
  t.true(moment instanceof Future);
  t.true(moment.done());
  t.false(moment.running());
  t.is(moment.result(), undefined);
  t.is(moment.exception(), undefined);
});

test('addDoneCallback on moment runs the callback at once with moment', (t) => {
  const seen: unknown[] = [];
  moment.addDoneCallback((f) => { seen.push(f); });
  t.is(seen.length, 1);
  t.is(seen[0], moment);
});

test('yielding moment costs exactly one loop iteration', (t) => {
  withLoop((loop) => {
    const steps: string[] = [];
    const run = coroutine(function* () {
      steps.push('before');
      const value: unknown = yield moment;
      steps.push('after ' + String(value));
      return 'done';
    });
    const f = run();
    t.deepEqual(steps, ['before']);
    t.false(f.done());
    t.is(loop.runOnce(), -1);
    t.deepEqual(steps, ['before', 'after undefined']);
    t.true(f.done());
    t.is(f.result(), 'done');
  });
});

test('yield null, yield undefined and a bare yield each cost one loop iteration, like moment', (t) => {
  withLoop((loop) => {
    const steps: string[] = [];
    const run = coroutine(function* () {
      steps.push('0');
      yield null;
      steps.push('1');
      yield undefined;
      steps.push('2');
      yield;
      steps.push('3');
    });
    const f = run();
    t.deepEqual(steps, ['0']);
    loop.runOnce();
    t.deepEqual(steps, ['0', '1']);
    loop.runOnce();
    t.deepEqual(steps, ['0', '1', '2']);
    loop.runOnce();
    t.deepEqual(steps, ['0', '1', '2', '3']);
    t.true(f.done());
  });
});

test('moment inside a list or an object costs no loop iteration', (t) => {
  withLoop((loop) => {
    const steps: string[] = [];
    const run = coroutine(function* () {
      steps.push('before');
      const list: unknown[] = yield [moment];
      const object: { m: unknown } = yield { m: moment };
      steps.push('after');
      return [list, object];
    });
    const f = run();
    t.deepEqual(steps, ['before', 'after']);
    t.true(f.done());
    t.deepEqual(f.result(), [[undefined], { m: undefined }]);
    t.is(loop.runOnce(), -1);
  });
});

test('moment given to multi or withTimeout behaves as any Future that is already done', (t) => {
  withLoop((loop) => {
    const m = multi([moment, moment]);
    t.true(m.done());
    t.deepEqual(m.result(), [undefined, undefined]);
    const w = withTimeout(10, moment);
    t.true(w.done());
    t.is(w.result(), undefined);
    t.is(loop.runOnce(), -1);
  });
});

test('convertYielded(null) and convertYielded(undefined) are moment itself', (t) => {
  t.is(convertYielded(null), moment);
  t.is(convertYielded(undefined), moment);
});

test('two coroutines yielding moment interleave; one on moment and one on ready futures gives abbbbbaaaa', (t) => {
  withLoop((loop) => {
    let out = '';
    const run = coroutine(function* (name: string, useMoment: boolean) {
      for (let i = 0; i < 5; i++) {
        out += name;
        yield useMoment ? moment : maybeFuture(i);
      }
    });
    loop.runSync(() => [run('a', true), run('b', true)]);
    t.is(out, 'ababababab');
    out = '';
    loop.runSync(() => [run('a', true), run('b', false)]);
    t.is(out, 'abbbbbaaaa');
  });
});
