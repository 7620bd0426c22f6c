import { LeakedCallbackError, KeyReuseError, UnknownKeyError, message } from '../errors.js';
import { Future, FULFILLED, PENDING, REJECTED, failedFuture } from '../future.js';
import { IOLoop } from '../ioloop.js';
import { moment } from '../moment.js';
import { convertYielded } from '../convert-yielded.js';
import { MultiYieldPoint } from '../multi-yield-point.js';
import { Return } from '../return.js';
import { RunnerHandle, YieldPoint } from '../yield-point.js';
import { argumentsToValue } from '../arguments.js';
import { Machine, RESUME_NEXT, RESUME_THROW } from '../protocol.js';
import { describe, indexOfKey, isArray, isPlainObject } from './values.js';

/** Drives a native generator (or any iterator with `throw`) through the machine protocol. */
export class GeneratorMachine implements Machine {
  done = false;
  constructor(private generator: Generator<unknown, unknown, unknown>) {}
  resume(mode: number, value: unknown): unknown {
    const g = this.generator;
    const step = mode === RESUME_NEXT ? g.next(value) : mode === RESUME_THROW ? g['throw'](value) : g['return'](value);
    if (step.done) this.done = true;
    return step.value;
  }
}

/** Callback keys and results of one run; made on the first `Callback`. */
interface KeyTable {
  pending: unknown[];
  readyKeys: unknown[];
  readyValues: unknown[];
}

/**
 * Runs one coroutine body to completion. Tornado: `gen.Runner`.
 *
 * The loop in `run` resumes the body, looks at what it yielded, and goes round
 * again at once while that is already done, so ready yields cost no loop
 * iteration and no stack. A pending Future (or `moment`) registers a wake-up
 * that resumes the body one loop iteration after the Future completes, never
 * inside `setResult`. Nothing here recurses per yield or per completion.
 */
export class Runner implements RunnerHandle {
  /** The Future being waited on while suspended. */
  private future: Future<unknown> | null = null;
  private yieldPoint: YieldPoint | null = null;
  private keys: KeyTable | null = null;
  private running = false;
  private finished = false;
  private hadException = false;
  private sawYieldPoint = false;
  private wake: ((done: Future<unknown>) => void) | null = null;

  constructor(private machine: Machine, private result: Future<unknown>, private loop: IOLoop) {}

  /** Starts the body; it runs synchronously up to its first wait. */
  start(): void {
    this.run(RESUME_NEXT, undefined);
  }

  /** Resumes from `this.future` if it is done (a wake-up, or a YieldPoint delivery). */
  resumeFromFuture(): void {
    const f = this.future;
    if (f === null || f._state === PENDING) return;
    this.future = null;
    if (f._state === REJECTED) {
      f._observe();
      this.run(RESUME_THROW, f._value);
    } else {
      this.run(RESUME_NEXT, f._value);
    }
  }

  private run(mode: number, value: unknown): void {
    if (this.running || this.finished) return;
    this.running = true;
    const machine = this.machine;
    try {
      for (;;) {
        if (mode === RESUME_THROW) this.hadException = true;
        let yielded: unknown;
        try {
          yielded = machine.resume(mode, value);
        } catch (e) {
          this.finish(e);
          return;
        }
        if (machine.done) {
          this.succeed(yielded);
          return;
        }
        // The fast path: a done Future (other than `moment`) continues at once.
        let f = yielded instanceof Future && yielded !== moment ? yielded : this.handleYield(yielded);
        if (f === null) return;
        if (f._state === PENDING || f === moment) {
          this.suspend(f);
          return;
        }
        if (f._state === FULFILLED) {
          mode = RESUME_NEXT;
        } else {
          f._observe();
          mode = RESUME_THROW;
        }
        value = f._value;
      }
    } finally {
      this.running = false;
    }
  }

  /** Waits for `f`: one loop iteration after it is done, `resumeFromFuture` runs. */
  private suspend(f: Future<unknown>): void {
    this.future = f;
    let wake = this.wake;
    if (wake === null) {
      const self = this;
      const resume = function (): void { self.resumeFromFuture(); };
      const loop = this.loop;
      wake = this.wake = function () { loop._enqueue(resume); };
    }
    f.addDoneCallback(wake);
  }

  /**
   * The slow path of a yield: YieldPoints, `null`, arrays and objects,
   * thenables and everything `convertYielded` knows. Returns the Future to
   * continue with, or null when the body waits on a YieldPoint.
   */
  private handleYield(yielded: unknown): Future<unknown> | null {
    if (yielded === null || yielded === undefined) return moment;
    if ((isArray(yielded) || isPlainObject(yielded)) && containsYieldPoint(yielded)) {
      yielded = new MultiYieldPoint(yielded as unknown[]);
    }
    if (yielded instanceof YieldPoint) return this.handleYieldPoint(yielded);
    try {
      return convertYielded(yielded);
    } catch (e) {
      // Every conversion error goes into the body, where it can be caught
      // (Tornado lets all but BadYieldError escape the runner and hang it).
      return failedFuture(e);
    }
  }

  private handleYieldPoint(point: YieldPoint): Future<unknown> | null {
    this.future = new Future();
    if (this.sawYieldPoint) {
      this.startYieldPoint(point);
      const f = this.future;
      if (f._state === PENDING) return null; // resumed by setResult(key)
      this.future = null;
      return f;
    }
    // Tornado starts the first YieldPoint of a run one iteration later.
    this.sawYieldPoint = true;
    const self = this;
    this.loop._enqueue(function () {
      self.startYieldPoint(point);
      self.resumeFromFuture();
    });
    return null;
  }

  private startYieldPoint(point: YieldPoint): void {
    const f = this.future!;
    try {
      point.start(this);
      if (point.isReady()) f.setResult(point.getResult());
      else this.yieldPoint = point;
    } catch (e) {
      f.setException(e);
    }
  }

  private succeed(value: unknown): void {
    const keys = this.keys;
    if (keys !== null && keys.pending.length > 0 && !this.hadException) {
      this.finish(new LeakedCallbackError(message('coroutine',
        'the coroutine finished with callbacks never waited for: ' + describe(keys.pending[0]))));
      return;
    }
    this.finished = true;
    this.release();
    this.result._settle(FULFILLED, value);
  }

  private finish(error: unknown): void {
    if (error instanceof Return) {
      this.succeed(error.value);
      return;
    }
    this.finished = true;
    this.release();
    this.result._settle(REJECTED, error);
  }

  /** Drops what a finished run no longer needs, so it can be collected early. */
  private release(): void {
    this.future = null;
    this.yieldPoint = null;
    this.wake = null;
  }

  // The RunnerHandle methods YieldPoints call (Tornado's Runner API).

  registerCallback(key: unknown): void {
    const keys = this.keys || (this.keys = { pending: [], readyKeys: [], readyValues: [] });
    if (indexOfKey(keys.pending, key) >= 0) {
      throw new KeyReuseError(message('Callback', 'key ' + describe(key) + ' is already pending'));
    }
    keys.pending.push(key);
  }

  isReady(key: unknown): boolean {
    const keys = this.keys;
    if (keys === null || indexOfKey(keys.pending, key) < 0) {
      throw new UnknownKeyError(message('Wait', 'key ' + describe(key) + ' is not pending'));
    }
    return indexOfKey(keys.readyKeys, key) >= 0;
  }

  popResult(key: unknown): unknown {
    const keys = this.keys!;
    keys.pending.splice(indexOfKey(keys.pending, key), 1);
    const i = indexOfKey(keys.readyKeys, key);
    const value = keys.readyValues[i];
    keys.readyKeys.splice(i, 1);
    keys.readyValues.splice(i, 1);
    return value;
  }

  resultCallback(key: unknown): (...args: unknown[]) => void {
    const self = this;
    return function () { self.setResult(key, argumentsToValue(arguments)); };
  }

  /** Stores a callback's result; resumes the body synchronously if it waits for it. */
  setResult(key: unknown, value: unknown): void {
    const keys = this.keys!;
    const i = indexOfKey(keys.readyKeys, key);
    if (i >= 0) keys.readyValues[i] = value;
    else {
      keys.readyKeys.push(key);
      keys.readyValues.push(value);
    }
    const point = this.yieldPoint;
    if (point === null || this.finished) return;
    const f = this.future!;
    try {
      if (!point.isReady()) return;
      this.yieldPoint = null;
      f.setResult(point.getResult());
    } catch (e) {
      this.yieldPoint = null;
      f.setException(e);
    }
    this.resumeFromFuture();
  }
}

function containsYieldPoint(children: object): boolean {
  const list = isArray(children) ? children : Object.keys(children).map(function (k) {
    return (children as { [key: string]: unknown })[k];
  });
  for (let i = 0; i < list.length; i++) if (list[i] instanceof YieldPoint) return true;
  return false;
}
