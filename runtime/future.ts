import { message } from './errors.js';
import { log } from './log.js';
import { makeLossWatch } from './internal/host.js';
import { isArray } from './internal/values.js';
import { currentLoop } from './internal/current-loop.js';

/** States of a Future; the runner reads them directly on its hot path. */
export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;

type DoneCallback<T> = (future: Future<T>) => void;

/**
 * An internal listener that is not a function: the coroutine runner registers
 * itself this way, so a suspended coroutine needs no closure.
 */
export interface Waiter {
  futureDone(future: Future<unknown>): void;
}

/** The mark of a failed Future nobody has looked at yet (see `_callbacks`). */
const UNOBSERVED: Waiter = { futureDone: function () {} };

/**
 * A failed Future nobody looked at is logged when it is garbage-collected,
 * where the host can tell (FinalizationRegistry). Tornado logs the same thing
 * as "Future exception was never retrieved".
 */
const lossWatch = makeLossWatch<unknown>(function (error) {
  log('Future exception was never retrieved', error);
});

/**
 * The result of an asynchronous operation. Tornado: `tornado.concurrent.Future`
 * (4.5), plus Promises/A+ `then`/`catch` so `await future` works.
 *
 * As in Tornado 4.5, done-callbacks run synchronously: `setResult` runs them in
 * order (a throwing one is logged, the rest still run) and `addDoneCallback`
 * on a done Future runs the callback at once. `then` callbacks run
 * asynchronously, one loop callback later, as Promises/A+ requires. Deliberate
 * difference: setting a done Future again throws (4.5 left it undefined).
 *
 * @example
 * const f = new Future<number>();
 * f.addDoneCallback((done) => print(done.result()));
 * f.setResult(42); // prints 42
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal PENDING, FULFILLED or REJECTED. */
  _state: number;
  /** @internal The result or the error. */
  _value: unknown;
  /**
   * @internal While pending: null, one callback or waiter, or an array of
   * them. Once done: null, or UNOBSERVED while a failure is registered with
   * the loss watch (the slot is free then, and one field less per Future
   * matters where thousands are suspended).
   */
  _callbacks: DoneCallback<any> | Waiter | Array<DoneCallback<any> | Waiter> | null;

  constructor() {
    this._state = PENDING;
    this._value = undefined;
    this._callbacks = null;
  }

  /** True once a result or an error is set. */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** True until a result or an error is set. */
  running(): boolean {
    return this._state === PENDING;
  }

  /** Always false: like Tornado 4.5, a Future cannot be cancelled. */
  cancel(): boolean {
    return false;
  }

  /** Always false. */
  cancelled(): boolean {
    return false;
  }

  /**
   * The result, or throws the error.
   * @throws Error if the Future is not done yet; the stored error if it failed.
   */
  result(): T {
    if (this._state === PENDING) throw new Error(message('Future.result()', 'the Future is not done yet'));
    if (this._state === REJECTED) {
      this._observe();
      throw this._value;
    }
    return this._value as T;
  }

  /**
   * The error, or undefined when the Future succeeded.
   * @throws Error if the Future is not done yet.
   */
  exception(): unknown {
    if (this._state === PENDING) throw new Error(message('Future.exception()', 'the Future is not done yet'));
    if (this._state === REJECTED) {
      this._observe();
      return this._value;
    }
    return undefined;
  }

  /**
   * Calls `fn(this)` when the Future is done: at once (and synchronously, so an
   * error it throws reaches the caller) if it already is.
   */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (typeof fn !== 'function') {
      throw new TypeError(message('Future.addDoneCallback', 'expected a function, got ' + typeof fn));
    }
    if (this._state !== PENDING) {
      this._observe();
      fn(this);
      return;
    }
    this._listen(fn);
  }

  /** @internal Registers a waiter; like `addDoneCallback`, at once if done. */
  _addWaiter(waiter: Waiter): void {
    if (this._state !== PENDING) {
      this._observe();
      waiter.futureDone(this);
      return;
    }
    this._listen(waiter);
  }

  private _listen(listener: DoneCallback<T> | Waiter): void {
    const callbacks = this._callbacks;
    if (callbacks === null) this._callbacks = listener;
    else if (isArray(callbacks)) callbacks.push(listener);
    else this._callbacks = [callbacks, listener];
  }

  /**
   * Completes the Future with `value` and runs its callbacks. A Future or
   * thenable given as `value` is stored as it is, not adopted (as in Tornado).
   * @throws Error if the Future is already done.
   */
  setResult(value: T): void {
    if (this._state !== PENDING) throw alreadyDone('setResult', this);
    this._settle(FULFILLED, value);
  }

  /**
   * Fails the Future with `error` (any value, as with promise rejections).
   * @throws Error if the Future is already done.
   */
  setException(error: unknown): void {
    if (this._state !== PENDING) throw alreadyDone('setException', this);
    this._settle(REJECTED, error);
  }

  /**
   * Promises/A+ `then`: the handlers run asynchronously through the current
   * IOLoop, and the returned Future follows what they return.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Future<R1 | R2> {
    const next = new Future<R1 | R2>();
    const loop = currentLoop();
    this.addDoneCallback(function (done) {
      loop.addCallback(runThenHandler, done, next, done._state === FULFILLED ? onFulfilled : onRejected);
    });
    return next;
  }

  /** Promise-style `catch`: `then(undefined, onRejected)`. */
  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Future<T | R> {
    return this.then(undefined, onRejected);
  }

  /** @internal Stores the outcome and runs the callbacks, logging any that throw. */
  _settle(state: number, value: unknown): void {
    // A done Future never changes. Reached when a coroutine or a `then` finishes after someone
    // set its Future by hand: the outcome that comes too late is logged, not stored.
    if (this._state !== PENDING) return lateOutcome(this, state, value);
    this._state = state;
    this._value = value;
    const callbacks = this._callbacks;
    this._callbacks = null;
    if (callbacks === null) {
      if (state === REJECTED && lossWatch !== undefined) {
        this._callbacks = UNOBSERVED;
        lossWatch.watch(this, value);
      }
    } else if (!isArray(callbacks)) {
      runCallback(callbacks, this);
    } else {
      for (let i = 0; i < callbacks.length; i++) runCallback(callbacks[i], this);
    }
  }

  /** @internal Marks a failure as seen, so it is not logged as lost. */
  _observe(): void {
    if (this._callbacks === UNOBSERVED) {
      this._callbacks = null;
      lossWatch!.unwatch(this);
    }
  }
}

/** Brand, so futures from another copy of gencoro are still recognised. */
(Future.prototype as unknown as { __gencoroFuture: boolean }).__gencoroFuture = true;

function runCallback<T>(fn: DoneCallback<T> | Waiter, future: Future<T>): void {
  try {
    if (typeof fn === 'function') fn(future);
    else fn.futureDone(future as Future<unknown>);
  } catch (e) {
    log('Exception in callback for Future', e);
  }
}

function lateOutcome(future: Future<unknown>, state: number, value: unknown): void {
  const what = state === FULFILLED ? 'a result' : 'a failure';
  const has = future._state === FULFILLED ? 'it has a result' : 'it has failed';
  log(message('Future', 'already done (' + has + '), so ' + what + ' that came later was dropped'),
    state === REJECTED ? value : undefined);
}

function alreadyDone(method: string, future: Future<unknown>): Error {
  const state = future._state === FULFILLED ? 'has a result' : 'has failed';
  return new Error(message('Future.' + method, 'the Future is already done (it ' + state + ')'));
}

/** A Future that is already done with `value`. */
export function resolvedFuture<T>(value: T): Future<T> {
  const f = new Future<T>();
  f._state = FULFILLED;
  f._value = value;
  return f;
}

/** A Future that has already failed with `error`. */
export function failedFuture<T = never>(error: unknown): Future<T> {
  const f = new Future<T>();
  f._settle(REJECTED, error);
  return f;
}

/** Copies `source`'s outcome into `target` when it is done, unless `target` is done by then. */
export function chainFuture<T>(source: Future<T>, target: Future<T>): void {
  source.addDoneCallback(function (done) {
    if (target._state !== PENDING) return;
    done._observe();
    target._settle(done._state, done._value);
  });
}

/** A loop callback: runs one `then` handler and resolves `next` with its outcome. */
function runThenHandler(done: Future<unknown>, next: Future<unknown>, handler: unknown): void {
  if (typeof handler !== 'function') {
    next._settle(done._state, done._value);
    return;
  }
  let x: unknown;
  try {
    x = handler(done._value);
  } catch (e) {
    next._settle(REJECTED, e);
    return;
  }
  resolveWith(next, x);
}

function adopt(promise: Future<unknown>, done: Future<unknown>): void {
  promise._settle(done._state, done._value);
}

/** The Promises/A+ resolution procedure: `promise` follows `x`. */
export function resolveWith(promise: Future<unknown>, x: unknown): void {
  if (x === promise) {
    promise._settle(REJECTED, new TypeError(message('Future.then', 'a handler returned the Future it resolves')));
    return;
  }
  if (x instanceof Future) {
    // Adopted through the loop, as a Promise adopts a thenable in a job of its own: settled inside
    // x's done-callback, a chain of handlers that return Futures would settle one inside another,
    // as deep as the chain (a stack overflow at about 20,000 levels on Node, 20 on MuJS).
    const loop = currentLoop();
    x.addDoneCallback(function (done) { loop.addCallback(adopt, promise, done); });
    return;
  }
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) {
    promise._settle(FULFILLED, x);
    return;
  }
  let then: unknown;
  try {
    then = (x as { then?: unknown }).then;
  } catch (e) {
    promise._settle(REJECTED, e);
    return;
  }
  if (typeof then !== 'function') {
    promise._settle(FULFILLED, x);
    return;
  }
  let called = false;
  try {
    then.call(
      x,
      function (y: unknown) { if (!called) { called = true; resolveWith(promise, y); } },
      function (r: unknown) { if (!called) { called = true; promise._settle(REJECTED, r); } },
    );
  } catch (e) {
    if (!called) {
      called = true;
      promise._settle(REJECTED, e);
    }
  }
}
