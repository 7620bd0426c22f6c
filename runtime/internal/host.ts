/**
 * Everything gencoro takes from its host, detected once.
 *
 * The runtime compiles against `lib: es5`, so a host global is only reachable
 * through this file; every one of them is optional. Duktape and MuJS have no
 * timers, no Promise and (MuJS) no Symbol; browsers have no `process`; Node has
 * everything. Nothing here writes a global, calls `Function` or `eval`.
 */

declare const setTimeout: ((fn: () => void, ms: number) => unknown) | undefined;
declare const clearTimeout: ((handle: unknown) => void) | undefined;
declare const setImmediate: ((fn: () => void) => unknown) | undefined;
declare const queueMicrotask: ((fn: () => void) => void) | undefined;
declare const Promise: any;
declare const Symbol: any;
declare const SuppressedError: (new (error: unknown, suppressed: unknown, message: string) => Error) | undefined;
declare const console: { error(...args: unknown[]): void } | undefined;
declare const print: ((...args: unknown[]) => void) | undefined;
declare const performance: { now(): number } | undefined;
declare const process: { hrtime?: (() => [number, number]) } | undefined;
declare const Atomics: { wait(a: unknown, i: number, v: number, ms: number): string } | undefined;
declare const SharedArrayBuffer: (new (n: number) => unknown) | undefined;
declare const Int32Array: (new (buffer: unknown) => unknown) | undefined;
declare const FinalizationRegistry:
  | (new <H>(cleanup: (held: H) => void) => {
      register(target: object, held: H, token?: object): void;
      unregister(token: object): void;
    })
  | undefined;

/** A host function that runs `fn` soon, after the current host task, or undefined. */
export const hostMicrotask: ((fn: () => void) => void) | undefined =
  typeof queueMicrotask === 'function'
    ? function (fn) { queueMicrotask!(fn); }
    : typeof Promise === 'function' && typeof Promise.resolve === 'function'
      ? function (fn) { Promise!.resolve().then(fn); }
      : undefined;

/** A host function that runs `fn` in a later host task (lets I/O in), or undefined. */
export const hostMacrotask: ((fn: () => void) => void) | undefined =
  typeof setImmediate === 'function'
    ? function (fn) { setImmediate!(fn); }
    : typeof setTimeout === 'function'
      ? function (fn) { setTimeout!(fn, 0); }
      : undefined;

/** Host timers, or undefined where the host has none (duk, mujs). */
export const hostSetTimeout = typeof setTimeout === 'function' ? setTimeout : undefined;
export const hostClearTimeout = typeof clearTimeout === 'function' ? clearTimeout : undefined;

/** True when the host has an event loop that can wake a gencoro loop up. */
export const hostCanWake = hostMicrotask !== undefined && hostMacrotask !== undefined &&
  hostSetTimeout !== undefined;

/** Monotonic milliseconds where the host allows, wall-clock milliseconds otherwise. */
export const hostNow: () => number =
  typeof performance === 'object' && performance !== null && typeof performance.now === 'function'
    ? function () { return performance!.now(); }
    : typeof process === 'object' && process !== null && typeof process.hrtime === 'function'
      ? function () { var t = process!.hrtime!(); return t[0] * 1e3 + t[1] / 1e6; }
      : function () { return new Date().getTime(); };

/**
 * Blocks the thread for up to `ms` milliseconds where the host can (Node's
 * `Atomics.wait` on the main thread); otherwise returns at once and the caller
 * spins on the clock. Used only by synchronous drivers (`runSync`, `start`).
 */
export function hostSleep(ms: number): void {
  if (sleepCell === undefined) {
    sleepCell = null;
    try {
      if (typeof Atomics === 'object' && typeof SharedArrayBuffer === 'function' &&
          typeof Int32Array === 'function') {
        sleepCell = new Int32Array(new SharedArrayBuffer(4));
        Atomics.wait(sleepCell, 0, 0, 0);
      }
    } catch (e) {
      sleepCell = null; // Atomics.wait is not allowed on this thread (browser main thread)
    }
  }
  if (sleepCell !== null && ms > 0) Atomics!.wait(sleepCell, 0, 0, ms);
}
var sleepCell: unknown = undefined;

/** `Symbol.iterator`, `Symbol.asyncIterator` and `Symbol.toStringTag`, where they exist. */
export const symbolIterator: symbol | undefined =
  typeof Symbol === 'function' ? Symbol.iterator : undefined;
export const symbolToStringTag: symbol | undefined =
  typeof Symbol === 'function' ? Symbol.toStringTag : undefined;
export const symbolAsyncIterator: symbol | undefined =
  typeof Symbol === 'function' ? Symbol.asyncIterator : undefined;

/** `Symbol.dispose` as it is now (read at each call, as TypeScript's helper does: a polyfill may add it later). */
export function symbolDispose(): symbol | undefined {
  return typeof Symbol === 'function' ? Symbol.dispose : undefined;
}

/** The host's SuppressedError, or undefined (Node 20, ES5 engines). */
export const hostSuppressedError: (new (error: unknown, suppressed: unknown, message: string) => Error) | undefined =
  typeof SuppressedError === 'function' ? SuppressedError : undefined;

/** Writes one line to the host's error output: `console.error` or `print`. */
export function hostWrite(text: string): void {
  if (typeof console === 'object' && console !== null && typeof console.error === 'function') {
    console.error(text);
  } else if (typeof print === 'function') {
    print(text);
  }
}

/**
 * Calls `onLost(held)` when `target` is garbage-collected while still
 * registered; a no-op where the host has no FinalizationRegistry.
 */
export interface LossWatch<H> {
  watch(target: object, held: H): void;
  unwatch(target: object): void;
}
export function makeLossWatch<H>(onLost: (held: H) => void): LossWatch<H> | undefined {
  if (typeof FinalizationRegistry !== 'function') return undefined;
  const registry = new FinalizationRegistry<H>(onLost);
  return {
    watch: function (target, held) {
      // V8 keeps the frames of an Error whose stack was never read (their receivers and functions),
      // and a held value that reaches its target keeps it alive: a coroutine's error reaches its own
      // Future through the runner's frames. Reading the stack formats it and lets the frames go.
      if (held instanceof Error) {
        try {
          void held.stack;
        } catch (e) {
          // a stack getter that throws: nothing to release
        }
      }
      registry.register(target, held, target);
    },
    unwatch: function (target) { registry.unregister(target); },
  };
}

/** `Object.setPrototypeOf`, where the host has it (not MuJS). */
export const setPrototypeOf: ((o: object, proto: object | null) => object) | undefined =
  typeof (Object as { setPrototypeOf?: unknown }).setPrototypeOf === 'function'
    ? (Object as unknown as { setPrototypeOf(o: object, proto: object | null): object }).setPrototypeOf
    : undefined;
