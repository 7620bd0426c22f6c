// (e) n round trips that truly suspend: a loop callback resolves a fresh
// Future, the body resumes one loop callback later. See a-done-yields.ts for
// how this is compiled.
import { coroutine, Future, IOLoop } from 'gencoro';

export function makeMain(loop: IOLoop) {
  return coroutine(function* (n: number) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const f = new Future<number>();
      loop.addCallback(() => f.setResult(i));
      const v: number = yield f;
      acc = (Math.imul(acc, 31) + v) | 0;
    }
    return acc;
  });
}
