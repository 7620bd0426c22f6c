import { message } from './errors.js';
import { describe } from './internal/values.js';

/**
 * What a YieldPoint sees of the coroutine runner that started it.
 * Tornado: the `Runner` methods YieldPoints call.
 */
export interface RunnerHandle {
  /** Registers a pending callback key. @throws KeyReuseError if it is pending already. */
  registerCallback(key: unknown): void;
  /** True once the key's callback ran. @throws UnknownKeyError if the key is not pending. */
  isReady(key: unknown): boolean;
  /** Takes the key's result and unregisters it. */
  popResult(key: unknown): unknown;
  /** A function that stores its arguments as the key's result when called. */
  resultCallback(key: unknown): (...args: unknown[]) => void;
}

/**
 * The deprecated pre-Future protocol: a coroutine yields an object whose
 * `start(runner)` is called, then `isReady()` (possibly several times), then
 * `getResult()` once it is ready. Tornado: `gen.YieldPoint`. The first
 * YieldPoint a coroutine yields is started one loop iteration later, as in 4.5.
 */
export class YieldPoint {
  /** Called once, when the coroutine yields this point. */
  start(runner: RunnerHandle): void {
    throw new Error(message('YieldPoint.start', 'a YieldPoint subclass must implement start(runner)'));
  }
  /** True when `getResult()` may be called. */
  isReady(): boolean {
    throw new Error(message('YieldPoint.isReady', 'a YieldPoint subclass must implement isReady()'));
  }
  /** The value the yield produces (it may throw). */
  getResult(): unknown {
    throw new Error(message('YieldPoint.getResult', 'a YieldPoint subclass must implement getResult()'));
  }
}

/**
 * Yields a callback function to be called later; pair it with `Wait(key)`.
 * Tornado: `gen.Callback`. Keys compare by SameValueZero and must be unique
 * among the callbacks still pending in one run.
 *
 * @example
 * const cb = yield new Callback('k'); setTimeout(() => cb(42)); const v = yield new Wait('k');
 */
export class Callback extends YieldPoint {
  /** @internal */ private runner: RunnerHandle | null = null;
  constructor(public readonly key: unknown) {
    super();
  }
  start(runner: RunnerHandle): void {
    this.runner = runner;
    runner.registerCallback(this.key);
  }
  isReady(): boolean {
    return true;
  }
  getResult(): unknown {
    return this.runner!.resultCallback(this.key);
  }
}

/**
 * Waits for the callback made by `Callback(key)` and yields what it was called
 * with (nothing: `undefined`; one value: it; several: `Arguments`).
 * Tornado: `gen.Wait`. If the callback runs while the coroutine waits here,
 * the coroutine resumes synchronously inside that call, as in 4.5.
 * @throws UnknownKeyError (into the coroutine) for a key that is not pending.
 */
export class Wait extends YieldPoint {
  /** @internal */ private runner: RunnerHandle | null = null;
  constructor(public readonly key: unknown) {
    super();
  }
  start(runner: RunnerHandle): void {
    this.runner = runner;
  }
  isReady(): boolean {
    return this.runner!.isReady(this.key);
  }
  getResult(): unknown {
    return this.runner!.popResult(this.key);
  }
}

/**
 * Waits for several callback keys and yields their results in key order.
 * Tornado: `gen.WaitAll`; the same as yielding a list of `Wait`s.
 */
export class WaitAll extends YieldPoint {
  /** @internal */ private runner: RunnerHandle | null = null;
  readonly keys: unknown[];
  constructor(keys: ArrayLike<unknown>) {
    super();
    if (keys === null || typeof keys !== 'object' || typeof keys.length !== 'number') {
      throw new TypeError(message('WaitAll', 'expected an array of keys, got ' + describe(keys)));
    }
    this.keys = Array.prototype.slice.call(keys);
  }
  start(runner: RunnerHandle): void {
    this.runner = runner;
  }
  isReady(): boolean {
    for (let i = 0; i < this.keys.length; i++) if (!this.runner!.isReady(this.keys[i])) return false;
    return true;
  }
  getResult(): unknown[] {
    const results: unknown[] = [];
    for (let i = 0; i < this.keys.length; i++) results.push(this.runner!.popResult(this.keys[i]));
    return results;
  }
}
