/**
 * What a coroutine body's runner does with a yielded value that is not a
 * Future, shared by the two runners (internal/runner.ts for generators and
 * StateMachines, lowered-coroutine.ts for the one-object lowering).
 */
import { Future, failedFuture } from '../future.js';
import { moment } from '../moment.js';
import { convertYielded } from '../convert-yielded.js';
import { YieldPoint } from '../yield-point.js';
import { isArray, isPlainObject } from './values.js';

/** A YieldPoint, or an array or plain object holding one: these need a Runner's bookkeeping. */
export function holdsYieldPoint(yielded: unknown): boolean {
  if (yielded instanceof YieldPoint) return true;
  if (!isArray(yielded) && !isPlainObject(yielded)) return false;
  const children = yielded as { [key: string]: unknown };
  const list = isArray(children) ? children : Object.keys(children).map(function (k) { return children[k]; });
  for (let i = 0; i < list.length; i++) if (list[i] instanceof YieldPoint) return true;
  return false;
}

/**
 * The Future a yield of `yielded` (not a Future, not holding a YieldPoint)
 * waits on: `moment` for null and undefined, else what `convertYielded`
 * makes. Every conversion error becomes a failed Future, so it is thrown
 * into the body, where it can be caught (Tornado lets all but BadYieldError
 * escape the runner and hang it).
 */
export function yieldedFuture(yielded: unknown): Future<unknown> {
  if (yielded === null || yielded === undefined) return moment;
  try {
    return convertYielded(yielded);
  } catch (e) {
    return failedFuture(e);
  }
}
