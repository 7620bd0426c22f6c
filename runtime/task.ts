import { message } from './errors.js';
import { Future } from './future.js';
import { argumentsToValue } from './arguments.js';
import { describe } from './internal/values.js';

/**
 * Calls a callback-style function and gives a Future of what it calls back
 * with. Tornado: `gen.Task`. `fn(...args, callback)` runs at once; the
 * callback called with no argument gives `undefined`, with one gives that
 * value, with several gives `Arguments`; a second call is ignored; a
 * synchronous throw fails the Future. Deliberate difference: the callback is
 * the last positional argument (Tornado passes it as `callback=`).
 *
 * @example
 * const data = yield Task(fs.readFile, path); // (err, data) => gives Arguments
 */
export function Task<R = unknown>(fn: (...args: any[]) => unknown, ...args: unknown[]): Future<R>;
export function Task(fn: (...args: unknown[]) => unknown): Future<unknown> {
  if (typeof fn !== 'function') throw new TypeError(message('Task', 'expected a function, got ' + describe(fn)));
  const future = new Future<unknown>();
  const args = Array.prototype.slice.call(arguments, 1);
  args.push(function () {
    if (!future.done()) future.setResult(argumentsToValue(arguments));
  });
  try {
    fn.apply(undefined, args);
  } catch (e) {
    if (future.done()) throw e;
    future.setException(e);
  }
  return future;
}
