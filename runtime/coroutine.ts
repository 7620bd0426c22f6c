import { ReturnValueIgnoredError, message } from './errors.js';
import { Future, FULFILLED, REJECTED } from './future.js';
import { IOLoop } from './ioloop.js';
import { Return } from './return.js';
import { Runner } from './internal/runner.js';
import { describe } from './internal/values.js';
import { MACHINE_BRAND, RESUME_NEXT, type Machine } from './protocol.js';
import { LoweredCoroutine, claim, release, stepOf } from './lowered-coroutine.js';

/** Marks wrappers made by `coroutine` and `engine`. Tornado: `__tornado_coroutine__`. */
const MARK = '__gencoroCoroutine__';

/** A function made by `coroutine`: it returns a Future of the body's result. */
export interface CoroutineFunction<A extends unknown[], R> {
  (...args: A): Future<R>;
  (...args: [...A, WithCallback<R>]): Future<R>;
}

/** The body's result: a generator's return value, or a plain function's value. */
export type BodyResult<T> = T extends Generator<unknown, infer R, any> ? R : T;

type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * Makes a coroutine: a function that runs `fn` (a generator function) with the
 * coroutine runner and returns a Future of its result. Tornado: `gen.coroutine`.
 *
 * A call runs the body synchronously until it yields something not yet done,
 * continuing at once past yields that are done; a body that never waits gives
 * a Future that is already done. What the body throws goes into the Future,
 * never to the caller. `return v` or `throw new Return(v)` resolves it with
 * `v`. A function that is not a generator has its return value (or error)
 * put in a done Future; a returned Future is not unwrapped.
 *
 * It works as a wrapper, `coroutine(function* () {...})`, and as a method
 * decorator, both TC39 (`@coroutine`) and `experimentalDecorators`. A
 * decorator cannot change a method's static type: a decorated generator
 * method still has its generator type for TypeScript, though calling it
 * returns a Future (`yield obj.method()` works either way). The
 * wrapper keeps `fn.name`. A `withCallback(cb)` last argument is taken off
 * the arguments and called with the result one loop iteration after the
 * coroutine finishes (Tornado's `callback=` keyword).
 *
 * @example
 * const add = coroutine(function* (a: number, b: number) {
 *   yield sleep(10);
 *   return a + b;
 * });
 * IOLoop.current().runSync(() => add(1, 2)); // 3
 */
export function coroutine<This, A extends unknown[], T>(
  method: (this: This, ...args: A) => T,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => T>,
): (this: This, ...args: A) => T;
export function coroutine<This, A extends unknown[], T>(
  fn: (this: This, ...args: A) => T,
): CoroutineFunction<A, BodyResult<T>>;
export function coroutine(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<any>,
): TypedPropertyDescriptor<any>;
export function coroutine(fn: unknown, context?: unknown, descriptor?: unknown): unknown {
  return decorate(fn, context, descriptor, arguments.length, 'coroutine', false);
}

/**
 * The callback-style coroutine: like `coroutine`, but the wrapper returns
 * `undefined`, and the body must not return a value. Tornado: `gen.engine`.
 * A `ReturnValueIgnoredError` (or the body's error) is thrown out of the call
 * if the body finishes synchronously, and logged if it finishes later.
 */
export function engine<This, A extends unknown[], T>(
  method: (this: This, ...args: A) => T,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => T>,
): (this: This, ...args: A) => T;
export function engine<This, A extends unknown[], T>(fn: (this: This, ...args: A) => T): (...args: A) => void;
export function engine(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<any>,
): TypedPropertyDescriptor<any>;
export function engine(fn: unknown, context?: unknown, descriptor?: unknown): unknown {
  return decorate(fn, context, descriptor, arguments.length, 'engine', true);
}

/**
 * True for functions made by `coroutine` or `engine`. Tornado:
 * `gen.is_coroutine_function`.
 */
export function isCoroutineFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as { [MARK]?: boolean })[MARK] === true;
}

/**
 * Wraps `callback` so that, as the last argument of a coroutine call, it
 * receives the coroutine's result one loop iteration after it finishes.
 * The body never sees it; on failure it is not called and the failure is
 * logged. Tornado: the `callback=` keyword of a coroutine.
 */
export function withCallback<R>(callback: (result: R) => void): WithCallback<R> {
  if (typeof callback !== 'function') {
    throw new TypeError(message('withCallback', 'expected a function, got ' + describe(callback)));
  }
  return new WithCallback(callback);
}

/** The marker `withCallback` makes. */
export class WithCallback<R> {
  /** @internal */
  constructor(readonly callback: (result: R) => void) {
    markersMade = true;
  }
}

/**
 * False until the first WithCallback exists: until then no coroutine call
 * can end with one, and the wrappers skip reading their last argument (which
 * makes V8 build the `arguments` object: about 5 ns per call, measured on
 * bench (b)).
 */
let markersMade = false;

/** Tells the three ways of being called apart: wrapper, TC39 decorator, legacy decorator. */
function decorate(fn: unknown, context: unknown, descriptor: unknown, argc: number, name: string,
  isEngine: boolean): unknown {
  if (argc === 3 && descriptor !== null && typeof descriptor === 'object') {
    const method = (descriptor as PropertyDescriptor).value;
    if (typeof method !== 'function') {
      throw new TypeError(message('@' + name, 'can only decorate methods; ' + String(context) + ' is not a method'));
    }
    (descriptor as PropertyDescriptor).value = wrap(method, isEngine);
    return descriptor;
  }
  if (argc === 2 && context !== null && typeof context === 'object' && 'kind' in (context as object)) {
    const kind = (context as { kind: string; name?: unknown }).kind;
    if (kind !== 'method') {
      throw new TypeError(message('@' + name, 'can only decorate methods, not a ' + kind +
        ' (' + String((context as { name?: unknown }).name) + ')'));
    }
  }
  if (typeof fn !== 'function') {
    throw new TypeError(message(name, 'expected a function, got ' + describe(fn)));
  }
  return wrap(fn as AnyFunction, isEngine);
}

function wrap(fn: AnyFunction, isEngine: boolean): AnyFunction {
  // The coroutine wrapper calls `fn.apply(this, arguments)` itself: passing
  // `arguments` on to a helper would make V8 materialise it on every call.
  // A body lowered with a shared step gets a wrapper of its own, so its call
  // site only ever sees lowered bodies (V8 keeps it monomorphic and inlines).
  const step = stepOf(fn);
  const wrapper = isEngine
    ? function (this: unknown): void { engineCall(fn, this, arguments); }
    : step !== undefined
      ? function (this: unknown): Future<unknown> {
        if (markersMade && arguments.length !== 0 && arguments[arguments.length - 1] instanceof WithCallback) {
          return callWithCallback(fn, this, arguments);
        }
        // The claim (lowered-coroutine.ts): `begin` makes one object that is the body, its runner and this Future.
        claim(step);
        let result: unknown;
        try {
          result = fn.apply(this, arguments as unknown as unknown[]);
        } catch (e) {
          release();
          return failedStart(e);
        }
        release();
        if (result instanceof LoweredCoroutine && result.s === 0) {
          result._run(RESUME_NEXT, undefined);
          return result;
        }
        return startResult(result);
      }
      : function (this: unknown): Future<unknown> {
        if (markersMade && arguments.length !== 0 && arguments[arguments.length - 1] instanceof WithCallback) {
          return callWithCallback(fn, this, arguments);
        }
        let result: unknown;
        try {
          result = fn.apply(this, arguments as unknown as unknown[]);
        } catch (e) {
          return failedStart(e);
        }
        return startResult(result);
      };
  copyName(wrapper, fn);
  (wrapper as unknown as { [MARK]: boolean })[MARK] = true;
  (wrapper as unknown as { __wrapped__: AnyFunction }).__wrapped__ = fn;
  return wrapper;
}

/** A call whose last argument is `withCallback(cb)`: the body never sees it. */
function callWithCallback(fn: AnyFunction, self: unknown, args: IArguments): Future<unknown> {
  const callback = (args[args.length - 1] as WithCallback<unknown>).callback;
  const future = startBody(fn, self, Array.prototype.slice.call(args, 0, args.length - 1));
  IOLoop.current().addFuture(future, function (done) { callback(done.result()); });
  return future;
}

/** Calls the body and starts a runner if it made a generator or a machine. */
function startBody(fn: AnyFunction, self: unknown, args: IArguments | unknown[]): Future<unknown> {
  let result: unknown;
  try {
    result = fn.apply(self, args as unknown[]);
  } catch (e) {
    return failedStart(e);
  }
  return startResult(result);
}

/** The body threw before it could become a generator: `Return` is a result, the rest errors. */
function failedStart(error: unknown): Future<unknown> {
  const future = new Future<unknown>();
  if (error instanceof Return) future._settle(FULFILLED, error.value);
  else future._settle(REJECTED, error);
  return future;
}

/** What the body returned: a generator or machine to run, or a plain value. */
function startResult(result: unknown): Future<unknown> {
  const future = new Future<unknown>();
  if (isMachine(result)) {
    new Runner(null, result, future, IOLoop.current()).start();
  } else if (isGenerator(result)) {
    new Runner(result, null, future, IOLoop.current()).start();
  } else {
    future._settle(FULFILLED, result);
  }
  return future;
}

function engineCall(fn: AnyFunction, self: unknown, args: IArguments): void {
  const future = startBody(fn, self, args);
  future.addDoneCallback(function (done) {
    const value = done.result();
    if (value !== undefined) {
      throw new ReturnValueIgnoredError(message('engine', 'engine functions cannot return values: ' + describe(value)));
    }
  });
}

/** A lowered body (see protocol.ts), recognised by its brand, never by its shape alone. */
function isMachine(x: unknown): x is Machine {
  return x !== null && typeof x === 'object' && (x as { [MACHINE_BRAND]?: unknown })[MACHINE_BRAND] === true;
}

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return x !== null && typeof x === 'object' && typeof (x as { next?: unknown }).next === 'function' &&
    typeof (x as { ['throw']?: unknown })['throw'] === 'function';
}

function copyName(wrapper: Function, fn: Function): void {
  try {
    Object.defineProperty(wrapper, 'name', { value: (fn as { name?: string }).name, configurable: true });
  } catch (e) {
    // ES5 engines may make `name` unconfigurable; the name is a nicety there.
  }
}
