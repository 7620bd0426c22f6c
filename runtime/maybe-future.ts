import { Future, resolvedFuture } from './future.js';

/**
 * `x` itself if it is a Future, otherwise a Future already done with `x`
 * (arrays and thenables are wrapped as values, not converted).
 * Tornado: `gen.maybe_future` (deprecated there in favour of `convertYielded`).
 */
export function maybeFuture<T>(x: T): Future<T extends Future<infer R> ? R : T> {
  return (x instanceof Future ? x : resolvedFuture(x)) as Future<T extends Future<infer R> ? R : T>;
}
