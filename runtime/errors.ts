/**
 * The named errors of `tornado.gen`, as `Error` subclasses that survive ES5
 * down-levelling.
 *
 * Compiled to ES5, `class X extends Error` calls `Error.call(this, message)`,
 * which returns a fresh Error and drops `this`, so `instanceof X` fails. The
 * root class here is therefore a plain ES5 constructor whose prototype chains to
 * `Error.prototype`; every named error extends it with an ordinary `class`.
 */

import { setPrototypeOf } from './internal/host.js';

declare const Error: ErrorConstructor & {
  captureStackTrace?: (target: object, ctor: Function) => void;
};

/**
 * The root of gencoro's errors: an `Error` whose `instanceof` works on ES5.
 * Where the host can re-parent an object (`Object.setPrototypeOf`), the
 * instance is a real native Error (hosts print it as one, with its stack);
 * elsewhere (MuJS) it is an ordinary object that inherits from Error.
 */
export interface GencoroError extends Error {}
export const GencoroError: new (message?: string) => GencoroError = function GencoroError(
  this: GencoroError,
  message?: string,
) {
  const text = message === undefined ? '' : String(message);
  if (setPrototypeOf !== undefined) {
    // Returned from the constructor, so ES5 subclasses (`_super.call(this) || this`) adopt it.
    const native = setPrototypeOf(new Error(text), Object.getPrototypeOf(this)) as GencoroError;
    if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(native, this.constructor);
    return native;
  }
  // Not enumerable, as on a native Error (for...in, Object.keys and JSON.stringify skip them).
  hidden(this, 'message', text);
  const probe = new Error(text);
  if (probe.stack) hidden(this, 'stack', probe.stack);
  return undefined;
} as unknown as new (message?: string) => GencoroError;
GencoroError.prototype = Object.create(Error.prototype, {
  constructor: { value: GencoroError, writable: true, configurable: true },
  name: { value: 'GencoroError', writable: true, configurable: true },
});

/**
 * Names a subclass. Its prototype's `name`, and the `constructor` that the ES5
 * class helper (`__extends`) assigns, are made non-enumerable, as a native
 * class's are, so `for...in` over an error lists nothing of the library's.
 */
function named(ctor: { prototype: { name: string } }, name: string): void {
  hidden(ctor.prototype, 'name', name);
  hidden(ctor.prototype, 'constructor', ctor);
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value: value, writable: true, configurable: true, enumerable: false });
}

/**
 * A coroutine yielded something that is not yieldable.
 * Tornado: `gen.BadYieldError`. The message names the value and its type.
 */
export class BadYieldError extends GencoroError {}
named(BadYieldError, 'BadYieldError');

/**
 * An `engine` function returned a value. Tornado: `gen.ReturnValueIgnoredError`.
 */
export class ReturnValueIgnoredError extends GencoroError {}
named(ReturnValueIgnoredError, 'ReturnValueIgnoredError');

/** A `Callback` key is already pending in this run. Tornado: `gen.KeyReuseError`. */
export class KeyReuseError extends GencoroError {}
named(KeyReuseError, 'KeyReuseError');

/** A `Wait` names a key no `Callback` registered. Tornado: `gen.UnknownKeyError`. */
export class UnknownKeyError extends GencoroError {}
named(UnknownKeyError, 'UnknownKeyError');

/**
 * A coroutine finished while a `Callback` it created was never waited for.
 * Tornado: `gen.LeakedCallbackError`. Deliberate difference: Tornado raises it
 * out of the runner and leaves the coroutine's Future pending forever; gencoro
 * fails the Future with it, so nothing hangs.
 */
export class LeakedCallbackError extends GencoroError {}
named(LeakedCallbackError, 'LeakedCallbackError');

/**
 * A `withTimeout` or `runSync` deadline passed first.
 * Tornado: `tornado.util.TimeoutError` (5.0's single class; 4.5 had two).
 */
export class TimeoutError extends GencoroError {}
named(TimeoutError, 'TimeoutError');

/** Prefixes a message with the library's name, the one format all errors use. */
export function message(where: string, text: string): string {
  return '[gencoro] ' + where + ': ' + text;
}
