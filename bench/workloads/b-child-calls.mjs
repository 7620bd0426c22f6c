// (b) 100,000 calls of a child coroutine that yields once on a done Future;
// the parent yields each call.
//   runner:  bench/lowered/b-child-calls.ts compiled by plain TypeScript (ES2020):
//            child = coroutine(function* (i) { return (yield doneFuture) + i }),
//            native generators, run with runSync on a virtual loop;
//   lowered: the same source through the gencoro plugin (StateMachine bodies), same loop;
//   tsgen:   the same source compiled to ES5 by TypeScript (`__generator`), same loop;
//   async:   async child(i) { return (await resolved) + i }, parent awaits each;
//   sync:    a plain child function returning one() + i (the floor).
import { runWorkload, gencoro, mix } from './_harness.mjs';
import { assertKind, loadVariants } from './_variants.mjs';

const { IOLoop } = gencoro;

const N = 100_000;
const loop = new IOLoop({ clock: 'virtual' });
const resolved = Promise.resolve(1);
function one() { return 1; }

const compiled = loadVariants('b-child-calls');
for (const [variant, mod] of Object.entries(compiled)) {
  assertKind(variant, mod.main, [N]);
  assertKind(variant, mod.child, [0]);
}
const runnerMain = compiled.runner.main;
const loweredMain = compiled.lowered.main;
const tsgenMain = compiled.tsgen.main;

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
    lowered: () => loop.runSync(() => loweredMain(N)),
    tsgen: () => loop.runSync(() => tsgenMain(N)),
    async: () => asyncMain(N),
    sync: () => syncMain(N),
  },
});
