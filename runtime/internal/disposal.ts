/**
 * `using` declarations in lowered code (the plugin's statements.ts,
 * `lowerUsing`): the disposal scope of a block or of one for-of iteration.
 *
 * [source]   { using r = open(); ... }
 * [lowered]  env = disposables();
 *            try { r = addDisposable(env, open()); ... }
 *            catch (e) { disposeFailed(env, e); }
 *            finally { disposeAll(env); }
 *
 * The same steps, errors and messages as TypeScript's own helpers
 * (`__addDisposableResource`, `__disposeResources`), which an unlowered build
 * uses wherever the target has no `using` (every target up to ES2022): so a
 * lowered body fails exactly as its unlowered build does. JavaScript's own
 * `using` throws the same kinds of errors (TypeError, SuppressedError) with
 * its own wording. Only synchronous disposal: a generator cannot `await using`.
 */

import { hostSuppressedError, symbolDispose } from './host.js';

interface Resource {
  value: object;
  dispose: (this: object) => unknown;
}

/** The resources of one scope, and the error the scope (or a disposal) ended with. */
export class Disposables {
  readonly stack: Resource[] = [];
  error: unknown = undefined;
  hasError = false;
}

/** Used by compiled code: a new, empty disposal scope. */
export function disposables(): Disposables {
  return new Disposables();
}

/**
 * Used by compiled code for `using x = value`: registers `value`'s
 * `[Symbol.dispose]` method (none for null or undefined) and returns `value`.
 * `Symbol.dispose` is read at each call, so a polyfill installed later counts.
 */
export function addDisposable<T>(env: Disposables, value: T): T {
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('Object expected.');
    const key = symbolDispose();
    if (!key) throw new TypeError('Symbol.dispose is not defined.');
    const dispose = (value as unknown as { [key: symbol]: unknown })[key];
    if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
    env.stack.push({ value: value as unknown as object, dispose: dispose as Resource['dispose'] });
  }
  return value;
}

/** Used by compiled code: the scope's body threw `error` (disposeAll throws it once the resources are disposed). */
export function disposeFailed(env: Disposables, error: unknown): void {
  env.error = error;
  env.hasError = true;
}

/**
 * Used by compiled code as the scope ends, however it ends: disposes the
 * resources, last first; throws the scope's error, or a disposal's, each
 * later one wrapping the one before as a SuppressedError.
 */
export function disposeAll(env: Disposables): void {
  let r: Resource | undefined;
  while ((r = env.stack.pop()) !== undefined) {
    try {
      r.dispose.call(r.value);
    } catch (e) {
      env.error = env.hasError ? suppressed(e, env.error) : e;
      env.hasError = true;
    }
  }
  if (env.hasError) throw env.error;
}

/** A SuppressedError: the host's, or where it has none, TypeScript's stand-in (an Error with the same fields). */
function suppressed(error: unknown, earlier: unknown): Error {
  const message = 'An error was suppressed during disposal.';
  if (hostSuppressedError !== undefined) return new hostSuppressedError(error, earlier, message);
  const e = new Error(message) as Error & { error: unknown; suppressed: unknown };
  e.name = 'SuppressedError';
  e.error = error;
  e.suppressed = earlier;
  return e;
}
