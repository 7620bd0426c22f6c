// (c) multi over 10,000 pending futures, 20 times, on the real host-woken loop.
//   runner:  bench/lowered/c-multi.ts compiled by plain TypeScript (ES2020), native generators:
//            `yield multi(futures)`; a loop callback (loop.addCallback) resolves them in a loop;
//   lowered: the same source through the gencoro plugin (a StateMachine body);
//   tsgen:   the same source compiled to ES5 by TypeScript (`__generator`);
//   async:   `await Promise.all(promises)`; a microtask (queueMicrotask: the same host hook
//            that wakes the IOLoop) resolves them in a loop;
//   sync:    fill an array of 10,000 values and sum it (the floor).
// ns per op = per child future.
import { runWorkload, gencoro, mix } from './_harness.mjs';
import { assertKind, loadVariants } from './_variants.mjs';

const { IOLoop } = gencoro;

const K = 10_000;
const R = 20;
const loop = new IOLoop();
loop.makeCurrent();

const compiled = loadVariants('c-multi');
const mains = {};
for (const [variant, mod] of Object.entries(compiled)) {
  mains[variant] = mod.makeMain(loop);
  assertKind(variant, mains[variant], [K, R]);
}

async function asyncMain(k, r) {
  let acc = 0;
  for (let round = 0; round < r; round++) {
    const resolvers = new Array(k);
    const promises = new Array(k);
    for (let i = 0; i < k; i++) promises[i] = new Promise((resolve) => { resolvers[i] = resolve; });
    queueMicrotask(() => {
      for (let i = 0; i < k; i++) resolvers[i](i + round);
    });
    const results = await Promise.all(promises);
    for (let i = 0; i < k; i++) acc = (Math.imul(acc, 31) + results[i]) | 0;
  }
  return acc;
}

function syncMain(k, r) {
  let acc = 0;
  for (let round = 0; round < r; round++) {
    const results = new Array(k);
    for (let i = 0; i < k; i++) results[i] = i + round;
    for (let i = 0; i < k; i++) acc = (Math.imul(acc, 31) + results[i]) | 0;
  }
  return acc;
}

let expected = 0;
for (let round = 0; round < R; round++) for (let i = 0; i < K; i++) expected = mix(expected, i + round);

await runWorkload({
  id: 'c',
  title: 'multi of 10k pending futures, x20',
  unit: 'future',
  ops: K * R,
  expected,
  candidates: {
    runner: () => loop.run(() => mains.runner(K, R)),
    lowered: () => loop.run(() => mains.lowered(K, R)),
    tsgen: () => loop.run(() => mains.tsgen(K, R)),
    async: () => asyncMain(K, R),
    sync: () => syncMain(K, R),
  },
});
