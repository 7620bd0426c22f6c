// (a) One coroutine doing 1,000,000 yields of an already-done Future.
//   runner:  bench/lowered/a-done-yields.ts compiled by plain TypeScript (ES2020):
//            `yield doneFuture` (maybeFuture(1), made once) in a native generator,
//            run with runSync on a virtual loop;
//   lowered: the same source through the gencoro plugin (a StateMachine body), same loop;
//   tsgen:   the same source compiled to ES5 by TypeScript (its `__generator` helper), same loop;
//   async:   `await resolved` (Promise.resolve(1), made once);
//   sync:    a loop calling a function that returns 1 (the floor).
// Each step folds the value and the index into a 32-bit checksum.
import { runWorkload, gencoro, mix } from './_harness.mjs';
import { assertKind, loadVariants } from './_variants.mjs';

const { IOLoop } = gencoro;

const N = 1_000_000;
const loop = new IOLoop({ clock: 'virtual' });
const resolved = Promise.resolve(1);
function one() { return 1; }

const compiled = loadVariants('a-done-yields');
for (const [variant, mod] of Object.entries(compiled)) assertKind(variant, mod.main, [N]);
const runnerMain = compiled.runner.main;
const loweredMain = compiled.lowered.main;
const tsgenMain = compiled.tsgen.main;

async function asyncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = await resolved;
    acc = (Math.imul(acc, 31) + v + i) | 0;
  }
  return acc;
}

function syncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = one();
    acc = (Math.imul(acc, 31) + v + i) | 0;
  }
  return acc;
}

let expected = 0;
for (let i = 0; i < N; i++) expected = mix(expected, 1 + i);

await runWorkload({
  id: 'a',
  title: '1M yields of a done future',
  unit: 'yield',
  ops: N,
  expected,
  candidates: {
    runner: () => loop.runSync(() => runnerMain(N)),
    lowered: () => loop.runSync(() => loweredMain(N)),
    tsgen: () => loop.runSync(() => tsgenMain(N)),
    async: () => asyncMain(N),
    sync: () => syncMain(N),
  },
});
