// The declarations name Generator, Iterator and AsyncIterator: a user whose own
// `lib` is ES5 (as for Duktape and MuJS) still gets their types from these.
/// <reference lib="es2015.iterable" preserve="true" />
/// <reference lib="es2015.generator" preserve="true" />
/// <reference lib="es2018.asynciterable" preserve="true" />
/**
 * gencoro: Tornado's `tornado.gen` for TypeScript. The public surface, named
 * one by one (no `export *`), so the list below is the whole API.
 */
export { Future } from './future.js';
export { coroutine, engine, isCoroutineFunction, withCallback, WithCallback } from './coroutine.js';
export type { CoroutineFunction, BodyResult } from './coroutine.js';
export { Return } from './return.js';
export { multi, Multi, multiFuture } from './multi.js';
export type { QuietOptions } from './multi.js';
export { MultiYieldPoint } from './multi-yield-point.js';
export { withTimeout } from './with-timeout.js';
export type { Timeout } from './with-timeout.js';
export { sleep } from './sleep.js';
export { moment } from './moment.js';
export { WaitIterator } from './wait-iterator.js';
export { Task } from './task.js';
export { Arguments } from './arguments.js';
export { convertYielded } from './convert-yielded.js';
export { maybeFuture } from './maybe-future.js';
export { YieldPoint, Callback, Wait, WaitAll } from './yield-point.js';
export type { RunnerHandle } from './yield-point.js';
export {
  GencoroError, BadYieldError, ReturnValueIgnoredError, KeyReuseError, UnknownKeyError,
  LeakedCallbackError, TimeoutError,
} from './errors.js';
export { wait } from './wait.js';
export { setLogger } from './log.js';
export type { Logger, QuietExceptions } from './log.js';
export { IOLoop } from './ioloop.js';
export type { IOLoopOptions, RunSyncOptions, RunResult } from './ioloop.js';
export type { Timer } from './internal/timer-heap.js';
export type { Yieldable, ResultOf } from './yieldable.js';
// Used by the compiler plugin's output; see runtime/PROTOCOL.md.
export {
  StateMachine, RegionStateMachine, LoweredCoroutine, begin, lowered, ready, transfer, iterate, closeIterator, delegate, forInKeys, toObject,
  propertyKey, destructurable, objectRest, disposables, addDisposable, disposeFailed, disposeAll,
} from './lowered.js';
