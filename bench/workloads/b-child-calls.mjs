// (b) 100,000 calls of a child coroutine that yields once on a done Future;
// the parent yields each call.
//   runner: child = coroutine(function* (i) { return (yield doneFuture) + i }), run with runSync on a virtual loop;
//   async:  async child(i) { return (await resolved) + i }, parent awaits each;
//   sync:   a plain child function returning one() + i (the floor).
import { runWorkload, gencoro, mix } from './_harness.mjs';

const { coroutine, maybeFuture, IOLoop } = gencoro;

const N = 100_000;
const loop = new IOLoop({ clock: 'virtual' });
const doneFuture = maybeFuture(1);
const resolved = Promise.resolve(1);
function one() { return 1; }

const runnerChild = coroutine(function* (i) {
  const v = yield doneFuture;
  return v + i;
});
const runnerMain = coroutine(function* (n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const r = yield runnerChild(i);
    acc = (Math.imul(acc, 31) + r) | 0;
  }
  return acc;
});

async function asyncChild(i) {
  const v = await resolved;
  return v + i;
}
async function asyncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const r = await asyncChild(i);
    acc = (Math.imul(acc, 31) + r) | 0;
  }
  return acc;
}

function syncChild(i) {
  const v = one();
  return v + i;
}
function syncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const r = syncChild(i);
    acc = (Math.imul(acc, 31) + r) | 0;
  }
  return acc;
}

let expected = 0;
for (let i = 0; i < N; i++) expected = mix(expected, 1 + i);

await runWorkload({
  id: 'b',
  title: '100k child coroutine calls',
  unit: 'call',
  ops: N,
  expected,
  candidates: {
    runner: () => loop.runSync(() => runnerMain(N)),
    async: () => asyncMain(N),
    sync: () => syncMain(N),
  },
});
