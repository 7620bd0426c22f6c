import { message } from './errors.js';
import { Future, REJECTED } from './future.js';
import { convertYielded } from './convert-yielded.js';
import { log, isQuiet, QuietExceptions } from './log.js';
import { MultiYieldPoint } from './multi-yield-point.js';
import { YieldPoint } from './yield-point.js';
import type { ResultOf } from './yieldable.js';
import { describe, isArray, isPlainObject, setOwn } from './internal/values.js';

/** Options of `multi`, `multiFuture` and `withTimeout`. */
export interface QuietOptions {
  /** Error classes whose secondary failures are not logged. */
  quietExceptions?: QuietExceptions;
}

/**
 * Runs yieldables in parallel and gives their results in the same shape (an
 * array or an object). Tornado: `gen.multi`. It waits for every child, even
 * after one failed, then fails with the first failure in input order and logs
 * the others ("Multiple exceptions in yield list") unless they match
 * `quietExceptions`. Empty input gives `[]` or `{}` at once. Yielding an array
 * or object from a coroutine does the same without options. With YieldPoints
 * among the children it returns a `MultiYieldPoint`.
 *
 * @example
 * const [a, b] = yield multi([fetch('a'), fetch('b')]);
 */
export function multi<T extends readonly unknown[] | { readonly [key: string]: unknown }>(
  children: T,
  options?: QuietOptions,
): Future<ResultOf<T>> {
  checkChildren(children, 'multi');
  quietOption(options, 'multi');
  const list = isArray(children) ? children : values(children as { [key: string]: unknown });
  for (let i = 0; i < list.length; i++) {
    if (list[i] instanceof YieldPoint) return new MultiYieldPoint(children, options) as unknown as Future<ResultOf<T>>;
  }
  return multiFuture(children, options);
}

/** Another name for `multi`. Tornado: `gen.Multi`. */
export const Multi = multi;

/**
 * The Future form of `multi`: every child is converted with `convertYielded`
 * (so YieldPoints are rejected). Tornado: `gen.multi_future`.
 * @throws BadYieldError when a child is not yieldable.
 */
export function multiFuture<T extends readonly unknown[] | { readonly [key: string]: unknown }>(
  children: T,
  options?: QuietOptions,
): Future<ResultOf<T>> {
  checkChildren(children, 'multiFuture');
  const quiet = quietOption(options, 'multiFuture');
  const keys = isArray(children) ? null : Object.keys(children);
  const list = keys === null ? children as readonly unknown[] : values(children as { [key: string]: unknown });
  const n = list.length;
  const futures: Future<unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) futures[i] = convertYielded(list[i]);
  const result = new Future<ResultOf<T>>();
  let remaining = n;
  function onChildDone(): void {
    if (--remaining === 0) collect(futures, keys, quiet, result as Future<unknown>);
  }
  for (let i = 0; i < n; i++) {
    if (futures[i]._state !== 0) remaining--;
    else futures[i].addDoneCallback(onChildDone);
  }
  if (remaining === 0) collect(futures, keys, quiet, result as Future<unknown>);
  return result;
}

/** Fills `result` from finished children, in input order. */
function collect(futures: Future<unknown>[], keys: string[] | null, quiet: QuietExceptions | undefined,
  result: Future<unknown>): void {
  let failed = false;
  let error: unknown;
  const results: unknown[] = new Array(futures.length);
  for (let i = 0; i < futures.length; i++) {
    const f = futures[i];
    if (f._state === REJECTED) {
      f._observe();
      if (!failed) {
        failed = true;
        error = f._value;
      } else if (!isQuiet(f._value, quiet)) {
        log('Multiple exceptions in yield list', f._value);
      }
    } else {
      results[i] = f._value;
    }
  }
  if (failed) result.setException(error);
  else result.setResult(keys === null ? results : zip(keys, results));
}

function values(object: { [key: string]: unknown }): unknown[] {
  const keys = Object.keys(object);
  const list: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) list[i] = object[keys[i]];
  return list;
}

function zip(keys: string[], results: unknown[]): { [key: string]: unknown } {
  const object: { [key: string]: unknown } = {};
  for (let i = 0; i < keys.length; i++) setOwn(object, keys[i], results[i]);
  return object;
}

function checkChildren(children: unknown, where: string): void {
  if (!isArray(children) && !isPlainObject(children)) {
    throw new TypeError(message(where, 'expected an array or a plain object of yieldables, got ' + describe(children)));
  }
}

/** Reads and checks `{ quietExceptions }`; shared with `withTimeout` and `MultiYieldPoint`. */
export function quietOption(options: unknown, where: string): QuietExceptions | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(message(where, 'options must be an object, got ' + describe(options)));
  }
  for (const key in options as object) {
    if (key !== 'quietExceptions') {
      throw new TypeError(message(where, 'unknown option "' + key + '" (known: quietExceptions)'));
    }
  }
  const quiet = (options as QuietOptions).quietExceptions;
  if (quiet === undefined) return undefined;
  const list = isArray(quiet) ? quiet : [quiet];
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'function') {
      throw new TypeError(message(where, 'quietExceptions must be a class or an array of classes, got ' + describe(list[i])));
    }
  }
  return quiet;
}

export { values as objectValues, zip as zipObject, checkChildren };
