/** Futures for runtime tests: done at once, or done later on the current loop's (virtual) clock. */
import { Future, IOLoop } from 'gencoro';

export function resolved<T>(value: T): Future<T> {
  const f = new Future<T>();
  f.setResult(value);
  return f;
}

export function failed<T = never>(error: unknown): Future<T> {
  const f = new Future<T>();
  f.setException(error);
  return f;
}

/** A Future that resolves with `value` at `ms` on the current loop's (virtual) clock. */
export function later<T>(ms: number, value: T): Future<T> {
  const f = new Future<T>();
  IOLoop.current().callLater(ms, () => { f.setResult(value); });
  return f;
}

/** A Future that fails with `error` at `ms` on the current loop's (virtual) clock. */
export function failLater<T = never>(ms: number, error: unknown): Future<T> {
  const f = new Future<T>();
  IOLoop.current().callLater(ms, () => { f.setException(error); });
  return f;
}

/** Records the loop time at which `f` becomes done. */
export function doneTimes(loop: IOLoop, f: Future<unknown>): number[] {
  const times: number[] = [];
  f.addDoneCallback(() => { times.push(loop.time()); });
  return times;
}
