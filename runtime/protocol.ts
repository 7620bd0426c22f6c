/**
 * The protocol between the coroutine runner and what it drives: the one place
 * where the runtime and the compiler plugin meet (PROTOCOL.md explains it with
 * an example). The runtime never imports the transformer; the transformer
 * imports only these constants.
 *
 * A coroutine body is driven as a *machine*: an object with `resume(mode,
 * value)` and a state label `s`. `resume` runs the body from where it stopped
 * until the next yield, and returns the yielded value; when the body
 * finishes instead, it sets `s` to DONE (-1) and returns the return value;
 * what the body throws, `resume` throws. (Not a `done` flag: a lowered
 * coroutine's machine is also its Future, whose `done` is a method.) No `{ value, done }` record is made per
 * step. A native generator is driven through a small adapter with the same
 * shape, so the runner has one loop for both.
 */

/** Resume the body with a value: the value of the pending `yield` expression. */
export const RESUME_NEXT = 0;
/** Resume the body by throwing the value at the pending `yield`. */
export const RESUME_THROW = 1;
/** Resume the body by returning the value from the pending `yield` (runs `finally` blocks). */
export const RESUME_RETURN = 2;

/**
 * The property, true on a machine (usually on its prototype), by which a
 * coroutine wrapper tells a machine from an ordinary return value: a plain
 * function that happens to return an object with `resume` is not a machine.
 */
export const MACHINE_BRAND = '__gencoroMachine';

/** The state label of a machine whose body has returned or thrown. */
export const DONE = -1;

/**
 * The property by which lowered code marks a coroutine function whose body
 * may run as one object (see runtime/lowered-coroutine.ts): its value is the
 * body's shared step function, the token `begin(step)` compares.
 */
export const STEP_BRAND = '__gencoroStep';

/** A resumable coroutine body. */
export interface Machine {
  /** The state label to continue at: 0 before the start, DONE (-1) once the body has returned or thrown. */
  s: number;
  /**
   * Runs the body to its next yield (returns the yielded value) or to its end
   * (sets `s` to DONE, returns the return value). Throws what the body throws.
   */
  resume(mode: number, value: unknown): unknown;
}

/**
 * Completion kinds in transit to a `finally` block (`StateMachine.ck`), as
 * lowered code sets them: the transformer's `Completion` table
 * (transformer/emitter.ts) must equal these (test/protocol.test.ts checks it).
 */
export const COMPLETION_NORMAL = 0;
export const COMPLETION_THROW = 1;
export const COMPLETION_RETURN = 2;
export const COMPLETION_JUMP = 3;
