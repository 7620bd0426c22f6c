import { GencoroError } from './errors.js';

/**
 * Ends a coroutine with a value: `throw new Return(v)` is the same as `return v`.
 *
 * Tornado: `gen.Return`. As in Tornado it is an ordinary error, so a broad
 * `catch` inside the coroutine catches it; a non-generator function wrapped by
 * `coroutine` may throw it too.
 *
 * @example
 * const f = coroutine(function* () { yield sleep(1); throw new Return(42); });
 */
export class Return<T = unknown> extends GencoroError {
  /** The coroutine's result. */
  value: T;
  constructor(value?: T) {
    super('[gencoro] Return(' + typeof value + ')');
    this.value = value as T;
  }
}
Return.prototype.name = 'Return';
