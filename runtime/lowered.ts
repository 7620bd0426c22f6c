/**
 * Helpers that the compiler plugin's output calls (through its one
 * `import * as __gencoro from "gencoro"`). Not for direct use; their names and
 * behaviour are part of the runner protocol (PROTOCOL.md).
 */
import { message } from './errors.js';
import { symbolIterator } from './internal/host.js';
import { setOwn } from './internal/values.js';
import { COMPLETION_RETURN, RESUME_NEXT, RESUME_THROW } from './protocol.js';
import { RegionStateMachine, StateMachine, StepTarget, transfer } from './state-machine.js';
import { LoweredCoroutine, begin, lowered, ready } from './lowered-coroutine.js';

declare const Object: ObjectConstructor & { getOwnPropertySymbols?: (o: object) => unknown[] };

/**
 * An iterator with its `next` method read once, when the iteration starts
 * (JavaScript's IteratorRecord): `next` calls that method with exactly the
 * arguments it is given (for...of none, `yield*` one) and checks that the
 * result is an object. `return` and `throw` are looked up on the iterator
 * itself when they are needed (closeIterator, delegate).
 */
class IteratorRecord {
  constructor(readonly iterator: object, private readonly nextMethod: (value?: unknown) => unknown) {}

  next(value?: unknown): IteratorResult<unknown> {
    const result = arguments.length === 0 ? this.nextMethod.call(this.iterator) : this.nextMethod.call(this.iterator, value);
    if (result === null || typeof result !== 'object' && typeof result !== 'function') {
      throw new TypeError(message('iterator', 'the iterator result is not an object'));
    }
    return result as IteratorResult<unknown>;
  }
}

/** The iterator an IteratorRecord stands for (or `it` itself). */
function target(it: Iterator<unknown>): Iterator<unknown> {
  return it instanceof IteratorRecord ? it.iterator as Iterator<unknown> : it;
}

/**
 * Whether this host's arrays are iterable (`[][Symbol.iterator]`). Where they
 * are not (Duktape has `Symbol.iterator` but no array or string iterators;
 * MuJS has no Symbol), strings and array-likes are iterated by index, as
 * TypeScript's ES5 helper (`__values`) does; where they are, an object
 * without `Symbol.iterator` is not iterable, as in JavaScript.
 */
const arraysIterate = symbolIterator !== undefined && typeof ([] as unknown as { [key: symbol]: unknown })[symbolIterator] === 'function';

/** Iterator of `x` for `for...of`, `yield*` and array patterns: `Symbol.iterator`, else an array-like (ES5 hosts). */
export function iterate(x: unknown): Iterator<unknown> {
  if (x !== null && x !== undefined) {
    const method = symbolIterator !== undefined ? (x as { [key: symbol]: unknown })[symbolIterator] : undefined;
    if (typeof method === 'function') {
      const it = method.call(x);
      if (it === null || typeof it !== 'object' && typeof it !== 'function') {
        throw new TypeError(message('iteration', 'the iterator method returned ' + typeof it + ', not an object'));
      }
      return new IteratorRecord(it, it.next) as unknown as Iterator<unknown>;
    }
    // A lowered generator called directly, on a host without Symbol (MuJS): its own iterator, as it is elsewhere.
    if (method === undefined && x instanceof StateMachine) return new IteratorRecord(x, x.next) as unknown as Iterator<unknown>;
  }
  if (!arraysIterate && (typeof x === 'string' || (x !== null && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number'))) {
    return arrayIterator(x as ArrayLike<unknown>);
  }
  throw new TypeError(message('iteration', String(x === null ? 'null' : typeof x) + ' is not iterable'));
}

function arrayIterator(list: ArrayLike<unknown>): Iterator<unknown> {
  let i = 0;
  return {
    next: function () {
      return i < list.length ? { value: list[i++], done: false } : { value: undefined, done: true };
    },
  };
}

/**
 * IteratorClose: calls `it.return()` if it has one. With `suppress` (the loop
 * is being left by a throw), errors from it are dropped, as JavaScript does.
 */
export function closeIterator(record: Iterator<unknown>, suppress: boolean): void {
  const it = target(record);
  const ret = it['return'];
  if (ret === undefined || ret === null) return;
  if (suppress) {
    try {
      ret.call(it);
    } catch (e) {
      // the error that is leaving the loop wins
    }
    return;
  }
  const result = ret.call(it);
  if (result === null || typeof result !== 'object' && typeof result !== 'function') {
    throw new TypeError(message('iteration', 'iterator.return() returned a non-object'));
  }
}

/**
 * One resumption of a `yield*`: forwards the mode to the inner iterator.
 * Returns its step result, or null when the delegation ends by `return()`
 * (the value to return is then in `m.cv`, with `m.ck` set to return).
 */
export function delegate(m: StepTarget, record: Iterator<unknown>, mode: number, value: unknown): IteratorResult<unknown> | null {
  if (mode === RESUME_NEXT) return checkStep(record.next(value));
  const it = target(record);
  if (mode === RESUME_THROW) {
    const thrower = method(it, 'throw');
    if (thrower !== undefined) return checkStep(thrower.call(it, value));
    closeIterator(it, false);
    throw new TypeError(message('yield*', 'the iterator does not have a throw method'));
  }
  const returner = method(it, 'return');
  if (returner !== undefined) {
    const step = checkStep(returner.call(it, value));
    if (!step.done) return step;
    value = step.value;
  }
  m.ck = COMPLETION_RETURN;
  m.cv = value;
  return null;
}

/** GetMethod: undefined when absent (undefined or null), a TypeError when present but not callable. */
function method(it: object, name: 'throw' | 'return'): Function | undefined {
  const fn = (it as { [key: string]: unknown })[name];
  if (fn === undefined || fn === null) return undefined;
  if (typeof fn !== 'function') throw new TypeError(message('yield*', 'the iterator\'s ' + name + ' is not a function'));
  return fn;
}

function checkStep(step: IteratorResult<unknown>): IteratorResult<unknown> {
  if (step === null || typeof step !== 'object' && typeof step !== 'function') {
    throw new TypeError(message('yield*', 'the iterator result is not an object'));
  }
  return step;
}

/** The keys a `for...in` over `x` visits, taken once at the start (as JavaScript does). */
export function forInKeys(x: unknown): string[] {
  const keys: string[] = [];
  if (x === null || x === undefined) return keys;
  // '' + k: MuJS gives every key kept from a for...in over an array or string the value of the last one.
  for (const k in x as object) keys.push('' + k);
  return keys;
}

/** ToObject for a lowered for...in: its `in` check needs an object (a string's keys are its indexes; null has none). */
export function toObject(x: unknown): object {
  return x === null || x === undefined ? {} : Object(x);
}

/** ToPropertyKey, done now: a computed key evaluated before a later yield in the same literal. */
export function propertyKey(k: unknown): unknown {
  const t = typeof k;
  if (t === 'string' || t === 'symbol') return k;
  const probe: { [key: string]: boolean } = {};
  probe[k as string] = true; // runs ToPropertyKey(k) exactly once
  for (const key in probe) return key;
  const symbols = typeof Object.getOwnPropertySymbols === 'function' ? Object.getOwnPropertySymbols(probe) : [];
  return symbols[0];
}

/** RequireObjectCoercible, as destructuring `null` or `undefined` does. */
export function destructurable(x: unknown): void {
  if (x === null || x === undefined) {
    throw new TypeError(message('destructuring', 'cannot destructure ' + String(x)));
  }
}

/** The rest of an object pattern: own enumerable properties except `keys` (like tslib's `__rest`). */
export function objectRest(x: unknown, keys: unknown[]): { [key: string]: unknown } {
  const rest: { [key: string]: unknown } = {};
  const source = Object(x) as { [key: string]: unknown };
  for (const k in source) {
    if (Object.prototype.hasOwnProperty.call(source, k) && indexOf(keys, k) < 0) setOwn(rest, k, source[k]);
  }
  if (typeof Object.getOwnPropertySymbols === 'function') {
    const symbols = Object.getOwnPropertySymbols(source);
    for (let i = 0; i < symbols.length; i++) {
      const sym = symbols[i] as string;
      if (indexOf(keys, sym) < 0 && Object.prototype.propertyIsEnumerable.call(source, sym)) rest[sym] = source[sym];
    }
  }
  return rest;
}

function indexOf(list: unknown[], x: unknown): number {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return i;
  return -1;
}

export { RegionStateMachine, StateMachine, transfer, LoweredCoroutine, begin, lowered, ready };
export { disposables, addDisposable, disposeFailed, disposeAll } from './internal/disposal.js';
