/**
 * Several values passed to one callback. Tornado: `gen.Arguments`, a
 * `(args, kwargs)` named tuple. JavaScript has no keyword arguments, so
 * gencoro only fills `kwargs` when a caller builds an `Arguments` itself.
 *
 * @example
 * const r = yield Task((cb) => cb(1, 2)); // r.args is [1, 2], r.kwargs is {}
 */
export class Arguments {
  /** The positional values. */
  args: unknown[];
  /** Named values; `{}` unless built by hand. */
  kwargs: { [name: string]: unknown };
  constructor(args: unknown[], kwargs?: { [name: string]: unknown }) {
    this.args = args;
    this.kwargs = kwargs === undefined ? {} : kwargs;
  }
}

/**
 * What a callback's arguments stand for, as Tornado's `_argument_adapter`:
 * none gives `undefined`, one gives that value, several give `Arguments`.
 */
export function argumentsToValue(args: ArrayLike<unknown>): unknown {
  if (args.length === 0) return undefined;
  if (args.length === 1) return args[0];
  return new Arguments(Array.prototype.slice.call(args), {});
}
