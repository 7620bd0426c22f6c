// (d) Heap bytes per suspended coroutine: 100,000 suspended at once.
//   runner:  bench/lowered/d-suspended-memory.ts compiled by plain TypeScript (ES2020):
//            coroutine(function* (f) { const v = yield f; done(v); return v; }), a native
//            generator, each waiting on its own pending Future;
//   lowered: the same source through the gencoro plugin (a StateMachine body);
//   tsgen:   the same source compiled to ES5 by TypeScript (`__generator`);
//   async:   async function (p) { const v = await p; ... }, each awaiting its own pending native Promise.
// The awaited Futures/Promises (and the Promises' resolve functions) are made
// BEFORE the baseline, so `value` counts only what suspending costs: the
// generator, machine or async frame, the coroutine's result Future/Promise,
// the runner and its wake-up closures, and the registration on the awaited
// object. `extra.withAwaited` also counts the awaited object itself.
// Both baselines and the suspended heap are taken after global.gc(), with
// every result Future/Promise held in an array. Then all are resolved and
// run to completion, so nothing is left behind.
// There is no sync floor here: a synchronous loop has nothing suspended.
import { runWorkload, heapUsed, gencoro } from './_harness.mjs';
import { assertKind, loadVariants } from './_variants.mjs';

const { Future, IOLoop } = gencoro;

const N = 100_000;
const loop = new IOLoop();
loop.makeCurrent();

const compiled = loadVariants('d-suspended-memory');
for (const [variant, mod] of Object.entries(compiled)) assertKind(variant, mod.makeBody(() => {}), [new Future()]);

/** A candidate for one compiled variant: `makeBody(done)` gives the coroutine function. */
function coroutineCandidate(name, makeBody) {
  return async function () {
    let sum = 0;
    let remaining = N;
    const all = new Future();
    const body = makeBody((v) => {
      sum += v;
      if (--remaining === 0) all.setResult(sum);
    });

    const h0 = heapUsed();
    const waitedOn = new Array(N);
    for (let i = 0; i < N; i++) waitedOn[i] = new Future();
    const results = new Array(N);
    const h1 = heapUsed();
    for (let i = 0; i < N; i++) results[i] = body(waitedOn[i]);
    const h2 = heapUsed();

    if (remaining !== N || results[N - 1].done()) throw new Error(`${name}: a coroutine finished before it was resolved`);
    for (let i = 0; i < N; i++) waitedOn[i].setResult(i);
    await all;
    let check = 0;
    for (let i = 0; i < N; i++) check += results[i].result();
    if (check !== sum) throw new Error(`${name}: results sum ${check} != body sum ${sum}`);
    return { checksum: sum, value: (h2 - h1) / N, extra: { withAwaited: (h2 - h0) / N } };
  };
}

async function asyncCandidate() {
  let sum = 0;
  let remaining = N;
  let resolveAll;
  const all = new Promise((r) => { resolveAll = r; });
  async function body(p) {
    const v = await p;
    sum += v;
    if (--remaining === 0) resolveAll(sum);
    return v;
  }

  const h0 = heapUsed();
  const waitedOn = new Array(N);
  const resolvers = new Array(N);
  for (let i = 0; i < N; i++) waitedOn[i] = new Promise((r) => { resolvers[i] = r; });
  const results = new Array(N);
  const h1 = heapUsed();
  for (let i = 0; i < N; i++) results[i] = body(waitedOn[i]);
  const h2 = heapUsed();

  if (remaining !== N) throw new Error('async: a function finished before it was resolved');
  for (let i = 0; i < N; i++) resolvers[i](i);
  await all;
  let check = 0;
  const values = await Promise.all(results);
  for (let i = 0; i < N; i++) check += values[i];
  if (check !== sum) throw new Error(`async: results sum ${check} != body sum ${sum}`);
  return { checksum: sum, value: (h2 - h1) / N, extra: { withAwaited: (h2 - h0) / N } };
}

await runWorkload({
  id: 'd',
  title: 'heap per suspended coroutine (100k)',
  metric: 'bytes',
  unit: 'coroutine',
  ops: N,
  rounds: 5,
  expected: (N * (N - 1)) / 2,
  candidates: {
    runner: coroutineCandidate('runner', compiled.runner.makeBody),
    lowered: coroutineCandidate('lowered', compiled.lowered.makeBody),
    tsgen: coroutineCandidate('tsgen', compiled.tsgen.makeBody),
    async: asyncCandidate,
  },
});
