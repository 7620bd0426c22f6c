import { Future, resolvedFuture } from './future.js';

/**
 * Yield it to let the loop run one iteration before the coroutine continues.
 * Tornado: `gen.moment`. `yield null`, `yield undefined` and a bare `yield`
 * do the same. It is a Future already done with `undefined`; only a direct
 * yield of it costs the iteration (inside `multi` it is an ordinary done
 * Future).
 *
 * @example
 * const a = coroutine(function* () { for (let i = 0; i < 5; i++) { out += 'a'; yield moment; } });
 */
export const moment: Future<void> = resolvedFuture(undefined);
