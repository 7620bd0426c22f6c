/** Small value predicates shared by the runtime; ES5 only. */

const toString = Object.prototype.toString;

/** An array (`Array.isArray`). */
export const isArray: (x: unknown) => x is unknown[] = Array.isArray;

/** A plain object: `{...}` or `Object.create(null)`, not a class instance. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || toString.call(x) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === null || proto === Object.prototype;
}

/** Anything with a callable `then`, as Promises/A+ defines a thenable. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function';
}

/** SameValueZero, the equality `Map` uses: like `===`, but NaN equals NaN. */
export function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

/** Index of `key` in `keys` by SameValueZero, or -1. */
export function indexOfKey(keys: unknown[], key: unknown): number {
  for (let i = 0; i < keys.length; i++) if (sameValueZero(keys[i], key)) return i;
  return -1;
}

/** A short description of a value for error messages: `42 (a number)`. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  switch (typeof x) {
    case 'string': return JSON.stringify(x.length > 40 ? x.slice(0, 40) + '...' : x) + ' (a string)';
    case 'number': return String(x) + ' (a number)';
    case 'boolean': return String(x) + ' (a boolean)';
    case 'bigint': return String(x) + 'n (a bigint)';
    case 'symbol': return String(x) + ' (a symbol)';
    case 'function': return 'function ' + ((x as { name?: string }).name || '(anonymous)');
  }
  if (isArray(x)) return 'an array';
  const ctor = (x as { constructor?: { name?: string } }).constructor;
  const name = ctor && ctor.name;
  return name && name !== 'Object' ? 'an instance of ' + name : 'an object ' + toString.call(x);
}

/**
 * `object[key] = value` as an own data property, also for the key `__proto__`
 * (which an assignment would take as the object's prototype instead).
 */
export function setOwn(object: { [key: string]: unknown }, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value: value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
