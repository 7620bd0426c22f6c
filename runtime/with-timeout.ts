import { TimeoutError, message } from './errors.js';
import { Future, REJECTED, chainFuture } from './future.js';
import { IOLoop } from './ioloop.js';
import { convertYielded } from './convert-yielded.js';
import { isQuiet, log } from './log.js';
import { QuietOptions, quietOption } from './multi.js';
import type { ResultOf } from './yieldable.js';
import { describe } from './internal/values.js';

/** A timeout: relative ms, or an absolute `{ deadline }` on `IOLoop.time()`. */
export type Timeout = number | { deadline: number };

/**
 * A Future that follows `yieldable`, or fails with `TimeoutError` if the
 * timeout passes first. Tornado: `gen.with_timeout`. The wrapped work is not
 * cancelled; if it fails after the timeout, that is logged ("Exception in
 * Future after timeout") unless it matches `quietExceptions`. Its timer is
 * removed as soon as the work finishes. Deliberate difference: a number is a
 * relative duration in ms (4.5 reads it as an absolute deadline in seconds);
 * pass `{ deadline }` for an absolute time.
 * @throws TypeError for a negative or non-numeric timeout; BadYieldError for
 *   something that is not yieldable.
 * @example
 * const page = yield withTimeout(5000, fetchPage(url));
 */
export function withTimeout<Y>(timeout: Timeout, yieldable: Y, options?: QuietOptions): Future<ResultOf<Y>> {
  const quiet = quietOption(options, 'withTimeout');
  const loop = IOLoop.current();
  const deadline = deadlineOf(timeout, loop);
  const future = convertYielded(yieldable);
  const result = new Future<unknown>();
  chainFuture(future, result);
  const handle = loop.addTimeout(deadline, function () {
    if (!result.done()) {
      result.setException(new TimeoutError(message('withTimeout', 'timed out after ' + describeTimeout(timeout))));
    }
    future.addDoneCallback(function (done) {
      if (done._state !== REJECTED) return;
      const error = done.exception();
      if (!isQuiet(error, quiet)) log('Exception in Future after timeout', error);
    });
  });
  future.addDoneCallback(function () { loop.removeTimeout(handle); });
  return result as Future<ResultOf<Y>>;
}

function deadlineOf(timeout: unknown, loop: IOLoop): number {
  if (typeof timeout === 'number') {
    if (timeout >= 0 && timeout !== Infinity) return loop.time() + timeout;
  } else if (timeout !== null && typeof timeout === 'object') {
    const deadline = (timeout as { deadline?: unknown }).deadline;
    if (typeof deadline === 'number' && deadline === deadline && deadline !== Infinity && deadline !== -Infinity) {
      return deadline;
    }
  }
  throw new TypeError(message('withTimeout', 'timeout must be a non-negative number of ms or ' +
    '{ deadline: <ms on IOLoop.time()> }, got ' + describe(timeout)));
}

function describeTimeout(timeout: Timeout): string {
  return typeof timeout === 'number' ? timeout + ' ms' : 'the deadline ' + timeout.deadline;
}
