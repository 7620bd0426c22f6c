// (e) 100,000 round trips that truly suspend, on the real host-woken loop.
//   runner:  bench/lowered/e-round-trips.ts compiled by plain TypeScript (ES2020), native generators:
//            f = new Future(); loop.addCallback(() => f.setResult(i)); yield f
//            (the body resumes one loop callback after setResult);
//   lowered: the same source through the gencoro plugin (a StateMachine body);
//   tsgen:   the same source compiled to ES5 by TypeScript (`__generator`);
//   async:   await new Promise((r) => queueMicrotask(() => r(i)))
//            (queueMicrotask is also the host hook that wakes the IOLoop);
//   sync:    a loop calling a function that returns i (the floor).
import { runWorkload, gencoro, mix } from './_harness.mjs';
import { assertKind, loadVariants } from './_variants.mjs';

const { IOLoop } = gencoro;

const N = 100_000;
const loop = new IOLoop();
loop.makeCurrent();
function id(i) { return i; }

const compiled = loadVariants('e-round-trips');
const mains = {};
for (const [variant, mod] of Object.entries(compiled)) {
  mains[variant] = mod.makeMain(loop);
  assertKind(variant, mains[variant], [N]);
}

async function asyncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = await new Promise((resolve) => queueMicrotask(() => resolve(i)));
    acc = (Math.imul(acc, 31) + v) | 0;
  }
  return acc;
}

function syncMain(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = id(i);
    acc = (Math.imul(acc, 31) + v) | 0;
  }
  return acc;
}

let expected = 0;
for (let i = 0; i < N; i++) expected = mix(expected, i);

await runWorkload({
  id: 'e',
  title: '100k suspending round trips',
  unit: 'round trip',
  ops: N,
  expected,
  candidates: {
    runner: () => loop.run(() => mains.runner(N)),
    lowered: () => loop.run(() => mains.lowered(N)),
    tsgen: () => loop.run(() => mains.tsgen(N)),
    async: () => asyncMain(N),
    sync: () => syncMain(N),
  },
});
