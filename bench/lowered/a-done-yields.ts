// (a) One coroutine doing n yields of an already-done Future.
// Compiled three ways by bench/workloads/_compile.mjs: plain ES2020 (`runner`:
// native generators), ES2020 with the gencoro plugin (`lowered`), and ES5 with
// TypeScript's `__generator` helper (`tsgen`). The same text, so every
// candidate runs the same body.
import { coroutine, maybeFuture } from 'gencoro';

const doneFuture = maybeFuture(1);

export const main = coroutine(function* (n: number) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v: number = yield doneFuture;
    acc = (Math.imul(acc, 31) + v + i) | 0;
  }
  return acc;
});
