import { message } from './errors.js';
import { Future } from './future.js';
import { IOLoop } from './ioloop.js';
import { describe } from './internal/values.js';

/**
 * A Future that resolves with `undefined` after `ms` milliseconds on the
 * current loop. Tornado: `gen.sleep` (seconds there, milliseconds here).
 * @throws TypeError for a negative or non-numeric duration.
 * @example
 * yield sleep(100);
 */
export function sleep(ms: number): Future<void> {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) {
    throw new TypeError(message('sleep', 'ms must be a non-negative finite number, got ' + describe(ms)));
  }
  const future = new Future<void>();
  IOLoop.current().callLater(ms, function () { future.setResult(undefined); });
  return future;
}
