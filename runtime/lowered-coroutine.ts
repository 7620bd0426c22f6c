import { Future, FULFILLED, PENDING, REJECTED, Waiter } from './future.js';
import type { IOLoop, Task } from './ioloop.js';
import { currentLoop } from './internal/current-loop.js';
import { moment } from './moment.js';
import { Return } from './return.js';
import { Runner } from './internal/runner.js';
import { holdsYieldPoint, yieldedFuture } from './internal/yielded.js';
import { DONE, RESUME_NEXT, RESUME_THROW, STEP_BRAND } from './protocol.js';
import { RegionStateMachine, StateMachine, Step, StepTarget, TRANSFER, applyTransfers, initRegisters, resumeAbrupt, resumeStep } from './state-machine.js';

/** Where `lowered` keeps a step's clear function: on the step, which every LoweredCoroutine has. */
const CLEAR = '__gencoroClear';
type ClearingStep = Step & { [CLEAR]?: (m: StepTarget) => void };

/**
 * One call of a lowered coroutine function as ONE object: the coroutine's
 * Future, the runner that drives the body, and the body's state (the state
 * label, the registers, and the locals as fields (`x_1`: the plugin's generated names) that the
 * lowered function adds). Where an unlowered call makes a generator, a
 * Runner, a Future and wake-up registrations, and a call of a lowered body
 * with its own step closure makes a StateMachine, the closure and its
 * context, a Runner and a Future, this is all there is: the step function is
 * shared by every call, and while suspended the object sits in the awaited
 * Future's callback slot as its Waiter.
 *
 * How it comes to be (see `begin`): the compiler plugin emits, for a
 * coroutine generator function with plain parameters,
 *
 *   [source]   coroutine(function* (a) { const v = yield a; return v + 1; })
 *   [lowered]  coroutine(((step) => __gencoro.lowered(step, function (a) {
 *                var m = __gencoro.begin(step, 0);
 *                m.a_1 = a; m.v_1 = void 0;
 *                return m;
 *              }))(function (m, value, mode) {
 *                switch (m.s) { case 0: m.s = 1; return m.a_1; case 1: m.v_1 = value; m.s = -1; return m.v_1 + 1; }
 *              }))
 *
 * The `coroutine` wrapper sees the brand that `lowered` puts on the function
 * and *claims* the call: `begin` then makes this object instead of a
 * StateMachine, and the wrapper starts it and returns it as the Future.
 * Called any other way (directly, through `engine`, with `withCallback`),
 * `begin` makes a StateMachine that behaves as the generator would, and the
 * usual Runner drives it. Only the claimed call pays nothing extra.
 *
 * The loop in `_run` is the Runner's, specialised: a done Future continues at
 * once, a pending one gets this object as its waiter, and the resume comes
 * one loop iteration later (SPEC's rule). A YieldPoint (the legacy
 * Callback/Wait API) hands the body over to a full Runner, which then drives
 * this object through `resume` and settles it as its result Future.
 *
 * A finished coroutine's Future is also the object that held its locals:
 * when the body finishes, `_finished` empties them (except those a closure
 * may still read), so keeping the Future does not keep them.
 *
 * Used by compiled code; not for direct use.
 */
export class LoweredCoroutine extends Future<unknown> implements StepTarget, Waiter, Task {
  s = 0;
  /** HAD_EXCEPTION (see Runner): needed only if the body later hands over to a Runner. */
  private flags = 0;

  constructor(readonly step: Step, private readonly loop: IOLoop) {
    super();
  }

  /** The Machine protocol, for a Runner that took the body over. */
  resume(mode: number, value: unknown): unknown {
    let result: unknown;
    try {
      result = resumeStep(this, this.step, mode, value);
    } catch (e) {
      this._finished();
      throw e;
    }
    if (this.s === DONE) this._finished();
    return result;
  }

  /**
   * The body has returned or thrown: nothing runs it again, so its fields
   * that no closure reads (see `lowered`) are emptied, as the locals of a
   * finished generator or async function become unreachable.
   */
  private _finished(): void {
    this.s = DONE;
    const clear = (this.step as ClearingStep)[CLEAR];
    if (clear !== undefined) clear(this);
  }

  /** Waiter: the awaited Future is done; resume one loop iteration later. */
  futureDone(future: Future<unknown>): void {
    this.loop._enqueueTask(this, future);
  }

  /** Task: the loop's wake-up, with the Future that was awaited. */
  runTask(future: unknown): void {
    const f = future as Future<unknown>;
    if (f._state === REJECTED) {
      f._observe();
      this._run(RESUME_THROW, f._value);
    } else {
      this._run(RESUME_NEXT, f._value);
    }
  }

  /** @internal Runs the body up to its first wait. */
  _run(mode: number, value: unknown): void {
    const step = this.step;
    const ready = moment;
    const FutureClass = Future;
    for (;;) {
      let yielded: unknown;
      try {
        if (mode === 0 /* RESUME_NEXT */) {
          yielded = step(this, value, 0);
          if (yielded === TRANSFER) yielded = applyTransfers(this, step);
        } else {
          if (mode === 1 /* RESUME_THROW */) this.flags = 1;
          yielded = resumeAbrupt(this, step, mode, value);
        }
      } catch (e) {
        this._finished();
        if (e instanceof Return) this._settle(FULFILLED, e.value);
        else this._settle(REJECTED, e);
        return;
      }
      if (this.s === -1 /* DONE */) {
        // `_finished`, written out: as a method call here it costs bench (b) about 3 ns per call.
        const clear = (step as ClearingStep)[CLEAR];
        if (clear !== undefined) clear(this);
        this._settle(FULFILLED, yielded);
        return;
      }
      // The fast path, as in the Runner: a done Future other than `moment` continues at once.
      if (yielded instanceof FutureClass && yielded !== ready && yielded._state === 1 /* FULFILLED */) {
        mode = 0;
        value = yielded._value;
        continue;
      }
      let f: Future<unknown>;
      if (yielded instanceof FutureClass) {
        f = yielded;
      } else if (holdsYieldPoint(yielded)) {
        // YieldPoints (also inside a list or dict) need the Runner's bookkeeping: it takes the body over.
        new Runner(null, this, this, this.loop).adopt(yielded, this.flags !== 0);
        return;
      } else {
        f = yieldedFuture(yielded);
      }
      if (f._state === PENDING || f === ready) {
        f._addWaiter(this);
        return;
      }
      if (f._state === FULFILLED) {
        mode = 0;
      } else {
        f._observe();
        mode = 1;
      }
      value = f._value;
    }
  }
}

/**
 * `JSON.stringify` sees what it sees of an unlowered coroutine's Future (its
 * state, value and callbacks), not the body's state and locals, which also
 * hold the loop (a cycle that JSON cannot print).
 */
(LoweredCoroutine.prototype as unknown as { toJSON: () => unknown }).toJSON = function (this: LoweredCoroutine) {
  const view = this as unknown as { _state: unknown; _value: unknown; _callbacks: unknown };
  return { _state: view._state, _value: view._value, _callbacks: view._callbacks };
};

/** The registers (`h`, `f`, `ck`, `cv`, `d`, `t`): added by `begin` for bodies with try regions. */
export interface LoweredCoroutine extends StepTarget {}

/**
 * The constructor `begin` uses. V8 sizes an object's in-object field space
 * by counting the `this.x = ...` assignments of the function called with
 * `new` (plus some slack the locals fill); the ES5 class above assigns
 * through `_this` after `_super.call(this)`, which V8 does not count, so its
 * fields and the locals would spill into a separate property array. This
 * function makes the same object (same prototype, same fields, in the same
 * order as Future's constructor and the class's) with plain assignments.
 */
const make = function (this: { [key: string]: unknown }, step: Step, loop: IOLoop) {
  this._state = PENDING;
  this._value = undefined;
  this._callbacks = null;
  this.step = step;
  this.loop = loop;
  this.s = 0;
  this.flags = 0;
} as unknown as new (step: Step, loop: IOLoop) => LoweredCoroutine;
make.prototype = LoweredCoroutine.prototype;

// No MACHINE_BRAND here: a LoweredCoroutine is only ever driven by itself or by the Runner it
// hands over to. Returned from some other coroutine body (`coroutine(() => child())`), it is a
// Future like any other: the wrapper's result, not a body to run again.
/**
 * Read by lowered code at each yield (see the plugin's `emitYield`): true on
 * a LoweredCoroutine, which a runner always drives (its own loop, or a
 * Runner it handed over to), so a yielded Future that is already fulfilled
 * (other than `moment`) may continue inside the step at once, as the runner
 * would. Absent on a StateMachine: whoever calls its `next` sees every yield.
 */
(LoweredCoroutine.prototype as unknown as { [key: string]: unknown })._driven = true;

/** The step of the call being claimed by a coroutine wrapper (see `claim`), or undefined. */
let claimed: Step | undefined;

/**
 * @internal The step a shared-step lowering branded `fn` with, or undefined.
 * (A lowered function *declaration* is branded by a statement after it, so
 * a `coroutine(fn)` made before that statement ran gets the generic
 * wrapper, and its calls the StateMachine path: slower, never wrong.)
 */
export function stepOf(fn: Function): Step | undefined {
  return (fn as unknown as { [STEP_BRAND]?: Step })[STEP_BRAND];
}

/**
 * @internal Called by the coroutine wrapper of a branded function right
 * before it calls it: the next `begin(step)` makes a LoweredCoroutine. The
 * wrapper must call `release()` after the call. `begin` compares the step,
 * so no other lowered function could take the claim in between (and none
 * runs: a shared-step lowering has plain parameters, and `begin` is the
 * first thing its body does).
 */
export function claim(step: Step): void {
  claimed = step;
}

/** @internal See `claim`. */
export function release(): void {
  claimed = undefined;
}

/**
 * Used by compiled code: the object one call of a lowered function works on.
 * The claimed call of a coroutine wrapper gets a LoweredCoroutine; any other
 * call a StateMachine (with the registers if `regions`), which the generator
 * protocol or a Runner drives.
 */
export function begin(step: Step, regions: number): StepTarget {
  if (claimed === step) {
    claimed = undefined;
    // The loop that is current now, as IOLoop.current() gives it (without the static call).
    const m = new make(step, currentLoop() as IOLoop);
    if (regions) initRegisters(m);
    return m;
  }
  return regions ? new RegionStateMachine(step) : new StateMachine(step);
}

/**
 * Used by compiled code: marks `fn` as a lowered function whose calls
 * `begin(step, ...)`. `clear`, if given, empties the fields of a finished
 * body that no closure can read (the plugin knows which); a LoweredCoroutine
 * calls it when its body returns or throws.
 */
export function lowered<F extends Function>(step: Step, fn: F, clear?: (m: StepTarget) => void): F {
  // Not enumerable: `Object.keys(fn)` of a generator function lists nothing.
  Object.defineProperty(fn, STEP_BRAND, { value: step });
  if (clear !== undefined) (step as ClearingStep)[CLEAR] = clear;
  return fn;
}

/**
 * Used by compiled code at each yield (see the plugin's `emitYield`): whether
 * the yielded `y` may be taken at once inside the step, without the round
 * trip through the runner, which would resume the body synchronously anyway.
 * True when `m` is driven by a runner (a LoweredCoroutine: `_driven`; a
 * StateMachine's caller sees every yield) and `y` is a fulfilled Future other
 * than `moment` (which always yields to the loop). The step then reads `y._value`.
 */
export function ready(m: StepTarget, y: unknown): boolean {
  return y instanceof Future && (m as { _driven?: boolean })._driven === true && y._state === FULFILLED && y !== moment;
}
