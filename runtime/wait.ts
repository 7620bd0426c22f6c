import { symbolIterator } from './internal/host.js';
import type { ResultOf } from './yieldable.js';

/**
 * Typed results: `const page = yield* wait(fetchPage(url))` gives `page` the
 * type of the result, where a plain `yield` gives `any`. At run time it
 * yields `yieldable` once and returns what the coroutine is resumed with; the
 * compiler plugin lowers `yield* wait(x)` to a plain yield. gencoro only (no
 * Tornado equivalent).
 *
 * @example
 * const n: number = yield* wait(countRows());
 */
export function wait<Y>(yieldable: Y): Generator<Y, ResultOf<Y>, any> {
  return new WaitStep(yieldable) as unknown as Generator<Y, ResultOf<Y>, any>;
}

/** A one-step generator object, written out so the runtime stays ES5. */
class WaitStep {
  private state = 0; // 0: not started, 1: yielded, 2: finished
  constructor(private yieldable: unknown) {}
  next(value?: unknown): { value: unknown; done: boolean } {
    if (this.state === 0) {
      this.state = 1;
      return { value: this.yieldable, done: false };
    }
    if (this.state === 1) {
      this.state = 2;
      return { value: value, done: true };
    }
    return { value: undefined, done: true };
  }
  ['throw'](error: unknown): never {
    this.state = 2;
    throw error;
  }
  ['return'](value?: unknown): { value: unknown; done: boolean } {
    this.state = 2;
    return { value: value, done: true };
  }
}

if (symbolIterator !== undefined) {
  (WaitStep.prototype as unknown as { [key: symbol]: unknown })[symbolIterator] = function (this: WaitStep) {
    return this;
  };
}
