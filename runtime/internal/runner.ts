import { LeakedCallbackError, KeyReuseError, UnknownKeyError, message } from '../errors.js';
import { Future, FULFILLED, PENDING, REJECTED, Waiter } from '../future.js';
import { IOLoop, Task } from '../ioloop.js';
import { moment } from '../moment.js';
import { MultiYieldPoint } from '../multi-yield-point.js';
import { Return } from '../return.js';
import { RunnerHandle, YieldPoint } from '../yield-point.js';
import { argumentsToValue } from '../arguments.js';
import { Machine, RESUME_NEXT, RESUME_THROW } from '../protocol.js';
import { describe, indexOfKey } from './values.js';
import { holdsYieldPoint, yieldedFuture } from './yielded.js';

/** No value adopted (see `Runner.adopt`). */
const NOTHING = {};

/** Flag bits of `Runner.flags`, packed to keep a suspended coroutine small. */
const RUNNING = 1;
const FINISHED = 2;
const HAD_EXCEPTION = 4;
const SAW_YIELD_POINT = 8;

/** What only YieldPoint users need; made on the first YieldPoint. */
interface YieldPointState {
  point: YieldPoint | null;
  pending: unknown[];
  readyKeys: unknown[];
  readyValues: unknown[];
}

/**
 * Runs one coroutine body to completion. Tornado: `gen.Runner`.
 *
 * The loop in `run` resumes the body, looks at what it yielded, and goes round
 * again at once while that is already done, so ready yields cost no loop
 * iteration and no stack. A pending Future (or `moment`) gets the runner as a
 * waiter; when it completes, the runner queues itself on the loop and resumes
 * the body one iteration later, never inside `setResult`. Nothing here
 * recurses per yield or per completion, and a suspended coroutine holds no
 * closure.
 *
 * The body is either a native generator (the unlowered path) or a Machine
 * (lowered code, see protocol.ts); one of the two fields is null.
 */
export class Runner implements RunnerHandle, Waiter, Task {
  /** The Future being waited on while suspended. */
  private future: Future<unknown> | null = null;
  private flags = 0;
  private points: YieldPointState | null = null;

  constructor(
    private generator: Generator<unknown, unknown, unknown> | null,
    private machine: Machine | null,
    private result: Future<unknown>,
    private loop: IOLoop,
  ) {}

  /** Starts the body; it runs synchronously up to its first wait. */
  start(): void {
    this.run(RESUME_NEXT, undefined);
  }

  /**
   * Takes over a body that another driver (a LoweredCoroutine) started and
   * that has just yielded `yielded`: handles it as if this runner had
   * resumed the body, then drives it on. `hadException`: an error was
   * thrown into the body before (see LeakedCallbackError).
   */
  adopt(yielded: unknown, hadException: boolean): void {
    if (hadException) this.flags |= HAD_EXCEPTION;
    this.run(RESUME_NEXT, undefined, yielded);
  }

  /** Waiter: the awaited Future is done; resume one loop iteration later. */
  futureDone(): void {
    this.loop._enqueueTask(this);
  }

  /** Task: the loop's wake-up. */
  runTask(): void {
    this.resumeFromFuture();
  }

  /** Resumes from `this.future` if it is done. */
  private resumeFromFuture(): void {
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

  /** `adopted`: a value the body already yielded, handled before the body is resumed. */
  private run(mode: number, value: unknown, adopted: unknown = NOTHING): void {
    if ((this.flags & (RUNNING | FINISHED)) !== 0) return;
    this.flags |= RUNNING;
    // Module-level names are outer-scope reads on every use in the ES5 bundle
    // (about 18 ns each on Duktape); the loop below reads only locals.
    const generator = this.generator;
    const machine = this.machine;
    const done = moment;
    const FutureClass = Future;
    try {
      for (;;) {
        if (mode === 1 /* RESUME_THROW */) this.flags |= HAD_EXCEPTION;
        let yielded: unknown;
        if (adopted !== NOTHING) {
          yielded = adopted;
          adopted = NOTHING;
        } else if (machine !== null) {
          // The body's own errors surface here; `resume` runs nothing else.
          try {
            yielded = machine.resume(mode, value);
          } catch (e) {
            this.fail(e);
            return;
          }
          if (machine.s === -1 /* DONE */) {
            this.succeed(yielded);
            return;
          }
        } else {
          let step: IteratorResult<unknown>;
          try {
            step = mode === 0 /* RESUME_NEXT */ ? generator!.next(value)
              : mode === 1 ? generator!['throw'](value) : generator!['return'](value);
          } catch (e) {
            this.fail(e);
            return;
          }
          if (step.done) {
            this.succeed(step.value);
            return;
          }
          yielded = step.value;
        }
        // The fast path: a done Future other than `moment` continues at once. (Folding it
        // into the general handling below measured 10% slower per yield: keep it apart.)
        if (yielded instanceof FutureClass && yielded !== done && yielded._state === 1 /* FULFILLED */) {
          mode = 0;
          value = yielded._value;
          continue;
        }
        const f = yielded instanceof FutureClass && yielded !== done ? yielded : this.handleYield(yielded);
        if (f === null) return;
        if (f._state === PENDING || f === done) {
          this.future = f;
          f._addWaiter(this);
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
      this.flags &= ~RUNNING;
    }
  }

  /**
   * The slow path of a yield: YieldPoints, `null`, arrays and objects,
   * thenables and everything `convertYielded` knows. Returns the Future to
   * continue with, or null when the body waits on a YieldPoint.
   */
  private handleYield(yielded: unknown): Future<unknown> | null {
    if (!holdsYieldPoint(yielded)) return yieldedFuture(yielded);
    return this.handleYieldPoint(yielded instanceof YieldPoint ? yielded : new MultiYieldPoint(yielded as unknown[]));
  }

  private handleYieldPoint(point: YieldPoint): Future<unknown> | null {
    this.future = new Future();
    if ((this.flags & SAW_YIELD_POINT) !== 0) {
      this.startYieldPoint(point);
      const f = this.future;
      if (f._state === PENDING) return null; // resumed by setResult(key)
      this.future = null;
      return f;
    }
    // Tornado starts the first YieldPoint of a run one iteration later.
    this.flags |= SAW_YIELD_POINT;
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
      else this.pointState().point = point;
    } catch (e) {
      f.setException(e);
    }
  }

  private succeed(value: unknown): void {
    const points = this.points;
    if (points !== null && points.pending.length > 0 && (this.flags & HAD_EXCEPTION) === 0) {
      this.fail(new LeakedCallbackError(message('coroutine',
        'the coroutine finished with callbacks never waited for: ' + describe(points.pending[0]))));
      return;
    }
    this.release();
    this.result._settle(FULFILLED, value);
  }

  private fail(error: unknown): void {
    if (error instanceof Return) {
      this.succeed(error.value);
      return;
    }
    this.release();
    this.result._settle(REJECTED, error);
  }

  /** Marks the run finished and drops what it no longer needs, so it can be collected early. */
  private release(): void {
    this.flags |= FINISHED;
    this.future = null;
    this.generator = null;
    this.machine = null;
    if (this.points !== null) this.points.point = null;
  }

  private pointState(): YieldPointState {
    return this.points || (this.points = { point: null, pending: [], readyKeys: [], readyValues: [] });
  }

  // The RunnerHandle methods YieldPoints call (Tornado's Runner API).

  registerCallback(key: unknown): void {
    const points = this.pointState();
    if (indexOfKey(points.pending, key) >= 0) {
      throw new KeyReuseError(message('Callback', 'key ' + describe(key) + ' is already pending'));
    }
    points.pending.push(key);
  }

  isReady(key: unknown): boolean {
    const points = this.points;
    if (points === null || indexOfKey(points.pending, key) < 0) {
      throw new UnknownKeyError(message('Wait', 'key ' + describe(key) + ' is not pending'));
    }
    return indexOfKey(points.readyKeys, key) >= 0;
  }

  popResult(key: unknown): unknown {
    const points = this.pointState();
    const at = indexOfKey(points.pending, key);
    // Already popped (`WaitAll(['a', 'a'])`): Tornado's pending_callbacks.remove raises here too.
    if (at < 0) throw new UnknownKeyError(message('Wait', 'key ' + describe(key) + ' is not pending'));
    points.pending.splice(at, 1);
    const i = indexOfKey(points.readyKeys, key);
    const value = points.readyValues[i];
    points.readyKeys.splice(i, 1);
    points.readyValues.splice(i, 1);
    return value;
  }

  resultCallback(key: unknown): (...args: unknown[]) => void {
    const self = this;
    return function () { self.setResult(key, argumentsToValue(arguments)); };
  }

  /** Stores a callback's result; resumes the body synchronously if it waits for it. */
  setResult(key: unknown, value: unknown): void {
    const points = this.pointState();
    const i = indexOfKey(points.readyKeys, key);
    if (i >= 0) points.readyValues[i] = value;
    else {
      points.readyKeys.push(key);
      points.readyValues.push(value);
    }
    const point = points.point;
    if (point === null || (this.flags & FINISHED) !== 0) return;
    const f = this.future!;
    try {
      if (!point.isReady()) return;
      points.point = null;
      f.setResult(point.getResult());
    } catch (e) {
      points.point = null;
      f.setException(e);
    }
    this.resumeFromFuture();
  }
}
