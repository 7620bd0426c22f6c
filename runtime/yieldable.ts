import type { Future } from './future.js';
import type { YieldPoint } from './yield-point.js';

/** What a coroutine may yield: the built-in kinds (plus whatever `convertYielded.register` adds). */
export type Yieldable =
  | Future<unknown>
  | PromiseLike<unknown>
  | YieldPoint
  | null
  | undefined
  | void
  | readonly Yieldable[]
  | { readonly [key: string]: Yieldable };

/**
 * The value a yieldable produces: a Future's or thenable's result, an array
 * or object of results in the same shape, `undefined` for `moment`/`null`.
 */
export type ResultOf<Y> =
  Y extends PromiseLike<infer R> ? R :
  Y extends null | undefined | void ? undefined :
  Y extends YieldPoint ? unknown :
  Y extends readonly unknown[] ? { -readonly [K in keyof Y]: ResultOf<Y[K]> } :
  Y extends object ? { -readonly [K in keyof Y]: ResultOf<Y[K]> } :
  never;
