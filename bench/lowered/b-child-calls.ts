// (b) n calls of a child coroutine that yields once on a done Future; the
// parent yields each call. See a-done-yields.ts for how this is compiled.
import { coroutine, maybeFuture } from 'gencoro';

const doneFuture = maybeFuture(1);

export const child = coroutine(function* (i: number) {
  const v: number = yield doneFuture;
  return v + i;
});

export const main = coroutine(function* (n: number) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const r: number = yield child(i);
    acc = (Math.imul(acc, 31) + r) | 0;
  }
  return acc;
});
