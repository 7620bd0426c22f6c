import { BadYieldError, message } from './errors.js';
import { Future, PENDING, failedFuture } from './future.js';
import { moment } from './moment.js';
import { multiFuture } from './multi.js';
import { YieldPoint } from './yield-point.js';
import { describe, isArray, isPlainObject, isThenable } from './internal/values.js';

interface Converter {
  test: (value: unknown) => boolean;
  convert: (value: unknown) => Future<unknown>;
}

const converters: Converter[] = [];

/**
 * Turns a yieldable into a Future. Tornado: `convert_yielded`.
 *
 * In order: a Future is returned as it is; `null`/`undefined` become `moment`;
 * then registered converters are asked; a thenable is adopted; an array or
 * plain object becomes `multi(...)` of its members. Anything else throws
 * `BadYieldError`, naming the value.
 *
 * @throws BadYieldError for a value that is not yieldable (also a YieldPoint:
 *   those only work when yielded directly by a coroutine).
 * @example
 * const f = convertYielded(Promise.resolve(1)); // a Future of 1
 */
export function convertYielded<T = unknown>(value: unknown): Future<T> {
  if (value instanceof Future) return value;
  if (value === null || value === undefined) return moment as Future<unknown> as Future<T>;
  for (let i = 0; i < converters.length; i++) {
    if (converters[i].test(value)) return checkConverted(converters[i].convert(value), value) as Future<T>;
  }
  if (isForeignFuture(value)) return adoptForeign(value) as Future<T>;
  if (isThenable(value)) return adoptThenable(value) as Future<T>;
  if (isArray(value) || isPlainObject(value)) return multiFuture(value) as unknown as Future<T>;
  if (value instanceof YieldPoint) {
    throw new BadYieldError(message('convertYielded', 'a YieldPoint cannot become a Future; ' +
      'a coroutine must yield it directly (or in a list or object of YieldPoints)'));
  }
  throw new BadYieldError(message('convertYielded', 'yielded unknown object ' + describe(value) +
    '; yieldables are Futures, thenables, arrays or plain objects of yieldables, null/undefined ' +
    '(moment), YieldPoints, and kinds added with convertYielded.register'));
}

/**
 * Adds a conversion, consulted after the Future check and before the built-in
 * thenable, array and object branches: when `test(x)` is true, `convert(x)`
 * must return a Future. Tornado: `convert_yielded.register(Type)(fn)`.
 *
 * @example
 * convertYielded.register((x) => x instanceof Deferred, (d) => d.toFuture());
 */
convertYielded.register = function register(
  test: (value: unknown) => boolean,
  convert: (value: unknown) => Future<unknown>,
): void {
  if (typeof test !== 'function' || typeof convert !== 'function') {
    throw new TypeError(message('convertYielded.register', 'expected two functions (test, convert), got ' +
      describe(test) + ' and ' + describe(convert)));
  }
  converters.push({ test: test, convert: convert });
};

function checkConverted(result: unknown, value: unknown): Future<unknown> {
  if (result instanceof Future) return result;
  throw new TypeError(message('convertYielded', 'a registered converter turned ' + describe(value) +
    ' into ' + describe(result) + ', not a Future'));
}

/** A Future from another copy of gencoro: recognised by its brand. */
function isForeignFuture(value: unknown): value is Future<unknown> {
  return typeof value === 'object' && (value as { __gencoroFuture?: unknown }).__gencoroFuture === true;
}

/** Mirrors a foreign Future into a local one; synchronous, so a done one stays done. */
function adoptForeign(value: Future<unknown>): Future<unknown> {
  const local = new Future<unknown>();
  value.addDoneCallback(function (done) {
    // Through the public API only (the other copy's internals may differ); a
    // failure may be any value, even undefined, so result() tells, not exception().
    let result: unknown;
    try {
      result = done.result();
    } catch (e) {
      local.setException(e);
      return;
    }
    local.setResult(result);
  });
  return local;
}

/**
 * Follows a thenable. A native Promise always settles later; a thenable that
 * calls back synchronously gives a Future that is already done.
 */
function adoptThenable(value: PromiseLike<unknown>): Future<unknown> {
  const local = new Future<unknown>();
  try {
    value.then(
      function (result) { if (local._state === PENDING) local.setResult(result); },
      function (error) { if (local._state === PENDING) local.setException(error); },
    );
  } catch (e) {
    if (local._state === PENDING) return failedFuture(e);
  }
  return local;
}
