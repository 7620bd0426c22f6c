// (c) r rounds of `yield multi(futures)` over k pending Futures that a loop
// callback resolves. See a-done-yields.ts for how this is compiled.
import { coroutine, multi, Future, IOLoop } from 'gencoro';

export function makeMain(loop: IOLoop) {
  return coroutine(function* (k: number, r: number) {
    let acc = 0;
    for (let round = 0; round < r; round++) {
      const futures: Future<number>[] = new Array(k);
      for (let i = 0; i < k; i++) futures[i] = new Future<number>();
      loop.addCallback(() => {
        for (let i = 0; i < k; i++) futures[i].setResult(i + round);
      });
      const results: number[] = yield multi(futures);
      for (let i = 0; i < k; i++) acc = (Math.imul(acc, 31) + results[i]) | 0;
    }
    return acc;
  });
}
