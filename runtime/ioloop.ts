import { message, TimeoutError } from './errors.js';
import { log } from './log.js';
import { Future, chainFuture, failedFuture, resolvedFuture } from './future.js';
import { convertYielded } from './convert-yielded.js';
import {
  hostCanWake, hostClearTimeout, hostMacrotask, hostMicrotask, hostNow, hostSetTimeout, hostSleep,
} from './internal/host.js';
import { Timer, TimerHeap } from './internal/timer-heap.js';
import { currentLoop, peekCurrentLoop, setCurrentLoop, setDefaultLoopFactory } from './internal/current-loop.js';
import { describe } from './internal/values.js';
import { checkCallback, checkLoopOptions, checkRunSyncOptions, checkTime } from './internal/loop-checks.js';

/** Options of `new IOLoop(options)`. */
export interface IOLoopOptions {
  /**
   * `'real'` (default): `time()` follows the host's monotonic clock.
   * `'virtual'`: time starts at 0 and jumps to the next timer whenever only
   * timers are left, so long sleeps run at once and in a fixed order.
   */
  clock?: 'real' | 'virtual';
  /**
   * True: never ask the host to wake the loop; nothing runs until `start`,
   * `runSync` or `runOnce` drives it. This is what hosts without timers get
   * by default (Duktape, MuJS, embedded engines).
   */
  standalone?: boolean;
}

/** Options of `loop.runSync(fn, options)`. */
export interface RunSyncOptions {
  /** Give up after this many ms with a `TimeoutError`. */
  timeout?: number;
}

type Callback = (...args: any[]) => unknown;

/** Something the loop runs by calling `runTask(arg)`; it must not throw. */
export interface Task {
  runTask(arg: unknown): void;
}

/** A host wake-up runs at most this many iterations before letting the host's I/O in. */
const ITERATIONS_PER_WAKE = 1000;


/**
 * An event loop: one callback queue and one timer heap. Tornado: `IOLoop`.
 *
 * One iteration runs the callbacks that were queued when it began, in order,
 * then the timers that were due when it began, in (deadline, insertion) order;
 * callbacks added meanwhile run in the next iteration. Where the host has an
 * event loop (Node, browsers) a loop asks the host to wake it (a microtask for
 * callbacks, `setTimeout` for timers), so it mixes with other code and `await`
 * works both ways; elsewhere nothing runs until something drives it.
 * Deliberate difference: times are milliseconds, not seconds.
 *
 * @example
 * const loop = new IOLoop({ clock: 'virtual' });
 * loop.runSync(coroutine(function* () { yield sleep(60000); })); // returns at once
 */
export class IOLoop {
  /** Pairs: a function and its argument list (undefined: none), or a Task and its argument. */
  private _queue: unknown[] = [];
  private _timers = new TimerHeap();
  private _virtual: boolean;
  private _virtualNow = 0;
  private _hostWoken: boolean;
  private _wakePending = false;
  private _hostTimer: unknown = null;
  private _hostTimerAt = Infinity;
  private _driving = false;
  private _inIteration = false;
  private _stopRequested = false;
  private _wakeMicro: () => void;
  private _wakeMacro: () => void;
  private _wakeTimer: () => void;

  constructor(options?: IOLoopOptions) {
    const opts = checkLoopOptions(options);
    this._virtual = opts.clock === 'virtual';
    this._hostWoken = hostCanWake && opts.standalone !== true;
    const self = this;
    this._wakeMicro = function () { self._hostWake(false); };
    this._wakeMacro = function () { self._hostWake(true); };
    this._wakeTimer = function () {
      self._hostTimer = null;
      self._hostTimerAt = Infinity;
      self._hostWake(false);
    };
  }

  /** The loop coroutines, `sleep` and timeouts use; created on first use. */
  static current(): IOLoop {
    return currentLoop() as IOLoop;
  }

  /** Forgets the current loop; the next `IOLoop.current()` makes a new one. */
  static clearCurrent(): void {
    setCurrentLoop(null);
  }

  /** Makes this loop the one `IOLoop.current()` returns. */
  makeCurrent(): void {
    setCurrentLoop(this);
  }

  /** Milliseconds on this loop's clock: monotonic where the host allows, or virtual. */
  time(): number {
    return this._virtual ? this._virtualNow : hostNow();
  }

  /** Runs `callback(...args)` in the next iteration. Tornado: `add_callback`. */
  addCallback(callback: Callback, ...args: unknown[]): void;
  addCallback(callback: Callback): void {
    checkCallback(callback, 'IOLoop.addCallback');
    this._queue.push(callback, arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : undefined);
    if (!this._wakePending) this._requestWake();
  }

  /**
   * Runs `callback(...args)` once `time()` reaches `deadline` (absolute ms on
   * this loop's clock). Returns a handle for `removeTimeout`.
   */
  addTimeout(deadline: number, callback: Callback, ...args: unknown[]): Timer;
  addTimeout(deadline: number, callback: Callback): Timer {
    checkTime(deadline, 'IOLoop.addTimeout', 'deadline');
    checkCallback(callback, 'IOLoop.addTimeout');
    const args = arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : undefined;
    const timer = this._timers.push(deadline, callback, args);
    this._requestWake();
    return timer;
  }

  /** Runs `callback(...args)` after `delay` ms. Tornado: `call_later`. */
  callLater(delay: number, callback: Callback, ...args: unknown[]): Timer;
  callLater(delay: number, callback: Callback): Timer {
    checkTime(delay, 'IOLoop.callLater', 'delay');
    checkCallback(callback, 'IOLoop.callLater');
    const args = Array.prototype.slice.call(arguments, 1);
    args[0] = this.time() + delay;
    args.splice(1, 0, callback);
    return this.addTimeout.apply(this, args as [number, Callback]);
  }

  /** Runs `callback(...args)` at `when` (absolute ms). Tornado: `call_at`. */
  callAt(when: number, callback: Callback, ...args: unknown[]): Timer;
  callAt(when: number, callback: Callback): Timer {
    checkTime(when, 'IOLoop.callAt', 'when');
    checkCallback(callback, 'IOLoop.callAt');
    return this.addTimeout.apply(this, arguments as unknown as [number, Callback]);
  }

  /** Cancels a timeout; safe after it fired, and with `null`/`undefined`. */
  removeTimeout(handle: Timer | null | undefined): void {
    if (handle === null || handle === undefined) return;
    if (!(handle instanceof Timer)) {
      throw new TypeError(message('IOLoop.removeTimeout', 'expected a handle from addTimeout, got ' + describe(handle)));
    }
    this._timers.cancel(handle);
    if (this._hostTimer !== null) this._requestWake();
  }

  /**
   * Runs `callback(future)` one iteration after `future` is done, even if it
   * already is. Accepts any yieldable. Tornado: `add_future`.
   */
  addFuture<T>(future: PromiseLike<T> | Future<T>, callback: (future: Future<T>) => unknown): void {
    checkCallback(callback, 'IOLoop.addFuture');
    const self = this;
    (convertYielded(future) as Future<T>).addDoneCallback(function (done) {
      self.addCallback(callback, done);
    });
  }

  /**
   * Calls `fn` (a coroutine function, or any function returning a yieldable),
   * drives this loop until its result is done, and returns the value or throws
   * the error; the loop is current meanwhile. Works on every host. If the
   * result waits on something only the host can complete (a native Promise,
   * host I/O), that is reported as an error instead of hanging.
   * Tornado: `run_sync` (the timeout is in ms).
   * @throws TimeoutError when `options.timeout` ms pass first.
   */
  runSync<T>(fn: () => T, options?: RunSyncOptions): RunResult<T> {
    checkCallback(fn, 'IOLoop.runSync');
    const timeout = checkRunSyncOptions(options);
    this._checkNotRunning('IOLoop.runSync');
    let future: Future<unknown> | null = null;
    let stopped = false;
    let timedOut = false;
    const self = this;
    return this._driveAs(function () {
      self.addCallback(function () {
        future = callForFuture(fn);
        self.addFuture(future, function () { stopped = true; });
      });
      const handle = timeout === undefined ? null
        : self.addTimeout(self.time() + timeout, function () { timedOut = true; });
      self._drive(function () { return stopped || timedOut || self._stopRequested; }, 'IOLoop.runSync');
      self.removeTimeout(handle);
      if (self._stopRequested) {
        // The stop ended this run. With the result done by then, it is returned (as in Tornado).
        self._stopRequested = false;
        if ((future === null || !(future as Future<unknown>).done()) && !timedOut) {
          throw new Error(message('IOLoop.runSync', 'loop.stop() was called before the result was done'));
        }
      }
      if (!future!.done()) {
        throw new TimeoutError(message('IOLoop.runSync', 'operation timed out after ' + timeout + ' ms'));
      }
      return future!.result() as RunResult<T>;
    });
  }

  /**
   * Calls `fn` in the next iteration and returns a Future of its result, for
   * host async code: `await loop.run(fn)`.
   */
  run<T>(fn: () => T): Future<RunResult<T>> {
    checkCallback(fn, 'IOLoop.run');
    const result = new Future<RunResult<T>>();
    this.addCallback(function () {
      chainFuture(callForFuture(fn) as Future<RunResult<T>>, result);
    });
    return result;
  }

  /**
   * Runs the loop until `stop()` is called, on every kind of loop. If nothing
   * is left that could ever call `stop()`, it throws instead of hanging.
   * A `stop()` before `start()` makes `start()` return at once.
   */
  start(): void {
    this._checkNotRunning('IOLoop.start');
    if (this._stopRequested) {
      this._stopRequested = false;
      return;
    }
    const self = this;
    this._driveAs(function () {
      try {
        self._drive(function () { return self._stopRequested; }, 'IOLoop.start');
      } finally {
        self._stopRequested = false;
      }
    });
  }

  /** Makes `start()` return after the current iteration. */
  stop(): void {
    this._stopRequested = true;
  }

  /**
   * Runs one iteration and returns how long the caller may wait before the
   * next call has work: 0 if callbacks are queued, the ms until the next timer,
   * or -1 if nothing is scheduled. For hosts that drive a standalone loop from
   * their own main loop (a C host calling in on each tick).
   */
  runOnce(): number {
    this._checkNotRunning('IOLoop.runOnce');
    this._iterate(true);
    if (this._queue.length > 0) return 0;
    const top = this._timers.peek();
    if (top === undefined) return -1;
    return this._virtual ? 0 : Math.max(0, top.deadline - this.time());
  }

  /** @internal Queues an internal callback. */
  _enqueue(fn: () => void): void {
    this._queue.push(fn, undefined);
    if (!this._wakePending) this._requestWake();
  }

  /** @internal Queues `task.runTask(arg)`: a runner's wake-up, with no closure. */
  _enqueueTask(task: Task, arg?: unknown): void {
    this._queue.push(task, arg);
    if (!this._wakePending) this._requestWake();
  }

  private _checkNotRunning(what: string): void {
    if (this._driving || this._inIteration) {
      throw new Error(message(what, 'this loop is already running; it cannot be driven again from inside itself'));
    }
  }

  /** Runs `body` with this loop current and owned by a synchronous driver. */
  private _driveAs<R>(body: () => R): R {
    const previous = peekCurrentLoop();
    setCurrentLoop(this);
    this._driving = true;
    try {
      return body();
    } finally {
      this._driving = false;
      setCurrentLoop(previous);
      this._requestWake();
    }
  }

  /** Iterates until `isDone()`, waiting for timers; throws if nothing is left. */
  private _drive(isDone: () => boolean, what: string): void {
    while (!isDone()) {
      if (this._queue.length === 0) {
        const top = this._timers.peek();
        if (top === undefined) throw new Error(message(what, nothingLeft(what === 'IOLoop.start', this._hostWoken)));
        if (!this._virtual) waitUntil(top.deadline);
      }
      this._iterate(true);
    }
  }

  /**
   * One iteration. `mayJump`: on a virtual clock with an empty queue, time
   * jumps to the next timer first.
   */
  private _iterate(mayJump: boolean): void {
    const previous = peekCurrentLoop();
    setCurrentLoop(this);
    this._inIteration = true;
    try {
      let due: Timer[] | null = null;
      const timers = this._timers;
      if (timers.size > 0) {
        if (this._virtual && mayJump && this._queue.length === 0) {
          const top = timers.peek()!;
          if (top.deadline > this._virtualNow) this._virtualNow = top.deadline;
        }
        const now = this.time();
        for (let t = timers.popDue(now); t !== undefined; t = timers.popDue(now)) (due || (due = [])).push(t);
      }
      const queue = this._queue;
      const n = queue.length;
      if (n > 0) {
        // A fresh array per iteration: cheaper in V8 than truncating the old one.
        this._queue = [];
        for (let i = 0; i < n; i += 2) {
          const first = queue[i];
          // Callbacks are functions; anything else is a Task, whose pair half is its argument.
          if (typeof first === 'function') this._runCallback(first as Callback, queue[i + 1] as unknown[] | undefined);
          else runTask(first as Task, queue[i + 1]);
        }
      }
      if (due !== null) {
        for (let i = 0; i < due.length; i++) {
          const fn = due[i].callback;
          if (fn === null) continue; // removed by a callback of this iteration
          const args = due[i].args;
          timers.cancel(due[i]);
          this._runCallback(fn, args);
        }
      }
    } finally {
      this._inIteration = false;
      setCurrentLoop(previous);
    }
  }

  private _runCallback(fn: Callback, args: unknown[] | undefined): void {
    let returned: unknown;
    try {
      returned = args === undefined ? fn() : fn.apply(undefined, args);
    } catch (e) {
      log('Exception in callback ' + describe(fn), e);
      return;
    }
    if (returned !== undefined && returned !== null) this._awaitReturned(fn, returned);
  }

  /** A callback that returns a yieldable has it awaited, and a failure logged. */
  private _awaitReturned(fn: Callback, returned: unknown): void {
    let future: Future<unknown>;
    try {
      future = convertYielded(returned);
    } catch (e) {
      return; // not yieldable: an ordinary return value, ignored as in Tornado
    }
    future.addDoneCallback(function (done) {
      if (done._state === 2) log('Exception in callback ' + describe(fn), done.exception());
    });
  }

  /** Asks the host for a wake-up if the loop has work and nobody drives it. */
  private _requestWake(): void {
    if (!this._hostWoken || this._wakePending || this._driving || this._inIteration) return;
    if (this._queue.length > 0) {
      this._wakePending = true;
      hostMicrotask!(this._wakeMicro);
    } else {
      this._armHostTimer();
    }
  }

  /**
   * A host wake-up: iterate while there is ready work, within a budget. A
   * virtual clock jumps at most once per wake-up (and only in a macrotask):
   * after a jump the host must first run what it queued meanwhile (promise
   * continuations), or those would see a later time than their timer's.
   */
  private _hostWake(macrotask: boolean): void {
    this._wakePending = false;
    if (this._driving || this._inIteration) return;
    let mayJump = macrotask && this._virtual;
    for (let i = 0; i < ITERATIONS_PER_WAKE; i++) {
      if (this._queue.length === 0) {
        const top = this._timers.peek();
        if (top === undefined || !(mayJump || top.deadline <= this.time())) break;
      }
      this._iterate(mayJump);
      mayJump = false;
    }
    if (this._queue.length > 0) {
      // Over budget: continue in a later host task so the host's I/O gets in.
      this._wakePending = true;
      hostMacrotask!(this._wakeMacro);
    } else {
      this._armHostTimer();
    }
  }

  /** Keeps exactly one host timer armed for the earliest timer, or none. */
  private _armHostTimer(): void {
    const top = this._timers.peek();
    if (top === undefined) {
      if (this._hostTimer !== null) {
        hostClearTimeout!(this._hostTimer);
        this._hostTimer = null;
        this._hostTimerAt = Infinity;
      }
      return;
    }
    if (this._virtual) {
      // Virtual time jumps once the host has run everything else it had.
      if (!this._wakePending) {
        this._wakePending = true;
        hostMacrotask!(this._wakeMacro);
      }
      return;
    }
    if (this._hostTimer !== null) {
      if (this._hostTimerAt <= top.deadline) return;
      hostClearTimeout!(this._hostTimer);
    }
    this._hostTimerAt = top.deadline;
    this._hostTimer = hostSetTimeout!(this._wakeTimer, Math.max(0, Math.ceil(top.deadline - this.time())));
  }
}

setDefaultLoopFactory(function () { return new IOLoop(); });

/** What `runSync(fn)` returns: the value of the Future or thenable `fn` returns. */
export type RunResult<T> = T extends PromiseLike<infer R> ? R : T;

/** Why a synchronous driver gives up instead of waiting forever. */
function nothingLeft(isStart: boolean, hostWoken: boolean): string {
  const what = isStart ? 'stop() was not called' : 'the result is not done';
  if (!hostWoken) return what + ' and nothing is left to run on this loop, so it never will be';
  return what + ' and nothing is left to run on this loop: only the host could still make progress (a ' +
    'native Promise, host I/O, or another loop), which cannot happen while this call blocks. ' +
    (isStart ? 'Let the host wake the loop instead of calling start()' : 'Use `await loop.run(fn)` instead');
}

function runTask(task: Task, arg: unknown): void {
  try {
    task.runTask(arg);
  } catch (e) {
    log('Exception in callback (internal task)', e); // a bug in gencoro if it ever happens
  }
}

/** Calls `fn` and turns its outcome into a Future, as `run_sync` does. */
function callForFuture(fn: () => unknown): Future<unknown> {
  let returned: unknown;
  try {
    returned = fn();
  } catch (e) {
    return failedFuture(e);
  }
  if (returned === undefined || returned === null) return resolvedFuture(returned);
  try {
    return convertYielded(returned);
  } catch (e) {
    return failedFuture(e);
  }
}

/** Blocks until `hostNow()` reaches `deadline`: sleeps where it can, spins where it must. */
function waitUntil(deadline: number): void {
  for (let left = deadline - hostNow(); left > 0; left = deadline - hostNow()) hostSleep(left);
}
