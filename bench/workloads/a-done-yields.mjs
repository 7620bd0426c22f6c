// (a) One coroutine doing 1,000,000 yields of an already-done Future.
//   runner: `yield doneFuture` (maybeFuture(1), made once), run with runSync on a virtual loop;
//   async:  `await resolved` (Promise.resolve(1), made once);
//   sync:   a loop calling a function that returns 1 (the floor).
// Each step folds the value and the index into a 32-bit checksum.
import { runWorkload, gencoro, mix } from './_harness.mjs';

const { coroutine, maybeFuture, IOLoop } = gencoro;

const N = 1_000_000;
const loop = new IOLoop({ clock: 'virtual' });
const doneFuture = maybeFuture(1);
const resolved = Promise.resolve(1);
function one() { return 1; }

const runnerMain = coroutine(function* (n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = yield doneFuture;
    acc = (Math.imul(acc, 31) + v + i) | 0;
  }
  return acc;
});

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
    async: () => asyncMain(N),
    sync: () => syncMain(N),
  },
});
