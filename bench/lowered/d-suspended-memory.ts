// (d) A coroutine suspended on its own pending Future; `done` is called with
// the value once it resumes. See a-done-yields.ts for how this is compiled.
import { coroutine, Future } from 'gencoro';

export function makeBody(done: (v: number) => void) {
  return coroutine(function* (f: Future<number>) {
    const v: number = yield f;
    done(v);
    return v;
  });
}
