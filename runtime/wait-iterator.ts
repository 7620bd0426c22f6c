import { message } from './errors.js';
import { Future, REJECTED, chainFuture, failedFuture, resolvedFuture } from './future.js';
import { convertYielded } from './convert-yielded.js';
import { symbolAsyncIterator } from './internal/host.js';
import { isPlainObject, isThenable } from './internal/values.js';

/** One input that finished: which one, and its Future. */
interface Finished {
  index: number | string;
  future: Future<unknown>;
}

/**
 * Gives results as they arrive. Tornado: `gen.WaitIterator`.
 *
 * `new WaitIterator(a, b, c)` takes yieldables by position;
 * `new WaitIterator({ x: a, y: b })` by key. Each `next()` gives a Future of
 * the next input to finish (inputs already done come first, in argument
 * order); `currentIndex` is then its position or key, `currentFuture` the
 * input's Future. A failed input fails only its own `next()`. `done()` is
 * true (and resets both) when every result was handed out.
 * `for await (const r of new WaitIterator(...))` works through a separate
 * adapter object.
 *
 * Deliberate differences from 4.5, so nothing hangs or crashes: a second
 * `next()` before the first resolves waits for the result after it (4.5
 * orphaned the first); a `next()` with nothing left fails at once (4.5 never
 * resolved it); the same Future given twice is reported once per position
 * (4.5 raised KeyError).
 *
 * @example
 * const it = new WaitIterator(fetch('a'), fetch('b'));
 * while (!it.done()) {
 *   const page = yield it.next();
 *   print(it.currentIndex, page);
 * }
 * @throws TypeError when positional and keyed inputs are mixed.
 */
export class WaitIterator<T = unknown> {
  /** The position or key of the input the last `next()` received. */
  currentIndex: number | string | null = null;
  /** The input Future the last `next()` received. */
  currentFuture: Future<T> | null = null;
  private finished: Finished[] = [];
  private unfinished = 0;
  private waiting: Future<T>[] = [];

  /** Futures of one type: `next()` gives `Future<T>` (T inferred). */
  constructor(...inputs: Array<Future<T>>);
  /** Keyed inputs (Tornado's keyword arguments): `currentIndex` is the key. */
  constructor(inputs: { [key: string]: Future<T> });
  constructor(...inputs: unknown[]);
  constructor() {
    const keyed = arguments.length === 1 && isPlainObject(arguments[0]) && !isThenable(arguments[0]);
    const keys = keyed ? Object.keys(arguments[0]) : null;
    const inputs: unknown[] = keyed ? [] : Array.prototype.slice.call(arguments);
    if (keys !== null) for (let i = 0; i < keys.length; i++) inputs.push(arguments[0][keys[i]]);
    else checkNotMixed(inputs);
    this.unfinished = inputs.length;
    for (let i = 0; i < inputs.length; i++) this.listen(convertYielded(inputs[i]), keys === null ? i : keys[i]);
  }

  /** True when every result was handed out; then `currentIndex` and `currentFuture` reset to null. */
  done(): boolean {
    if (this.finished.length === 0 && this.unfinished === 0) {
      this.currentIndex = null;
      this.currentFuture = null;
      return true;
    }
    return false;
  }

  /** A Future of the next result to arrive (failed if that input failed). */
  next(): Future<T> {
    if (this.finished.length === 0 && this.unfinished === this.waiting.length) {
      return failedFuture(new Error(message('WaitIterator.next()', 'no inputs are left; check done() first')));
    }
    const running = new Future<T>();
    if (this.finished.length > 0) this.handOver(this.finished.shift()!, running);
    else this.waiting.push(running);
    return running;
  }

  private listen(future: Future<unknown>, index: number | string): void {
    const self = this;
    future.addDoneCallback(function (done) {
      self.unfinished--;
      const entry = { index: index, future: done };
      const running = self.waiting.shift();
      if (running === undefined) self.finished.push(entry);
      else self.handOver(entry, running);
    });
  }

  private handOver(entry: Finished, running: Future<T>): void {
    this.currentFuture = entry.future as Future<T>;
    this.currentIndex = entry.index;
    chainFuture(entry.future as Future<T>, running);
  }
}

export interface WaitIterator<T> {
  /** An async iterator for `for await`: a separate object, since `next()` here returns a Future. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

// Installed only where the host has Symbol.asyncIterator (where `for await` can exist).
if (symbolAsyncIterator !== undefined) {
  (WaitIterator.prototype as unknown as { [key: symbol]: unknown })[symbolAsyncIterator] =
    function asyncIterator<T>(this: WaitIterator<T>): AsyncIterator<T> {
      const self = this;
      return {
        next: function () {
          if (self.done()) return resolvedFuture({ value: undefined, done: true });
          const step = new Future<IteratorResult<T>>();
          self.next().addDoneCallback(function (f) {
            if (f._state === REJECTED) step.setException(f.exception());
            else step.setResult({ value: f.result(), done: false });
          });
          return step;
        },
      } as unknown as AsyncIterator<T>;
    };
}

function checkNotMixed(inputs: unknown[]): void {
  for (let i = 0; i < inputs.length; i++) {
    if (isPlainObject(inputs[i]) && !isThenable(inputs[i])) {
      throw new TypeError(message('new WaitIterator', 'pass yieldables positionally, or one plain object of ' +
        'keyed yieldables, not both (argument ' + i + ' is a plain object)'));
    }
  }
}
