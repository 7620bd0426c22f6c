import { hostWrite } from './internal/host.js';

/**
 * The one logger for errors that have nowhere else to go: secondary `multi`
 * failures, failures after a `withTimeout` fired, throwing callbacks, failed
 * Futures nobody looked at. Tornado: the `tornado.application` logger.
 *
 * @param message what happened, e.g. `"Multiple exceptions in yield list"`
 * @param error the error object itself (not only its text), when there is one
 */
export type Logger = (message: string, error?: unknown) => void;

function defaultLogger(message: string, error?: unknown): void {
  let text = '[gencoro] ' + message;
  if (error !== undefined) {
    const stack = error !== null && typeof error === 'object' ? (error as Error).stack : undefined;
    text += '\n' + (typeof stack === 'string' ? stack : String(error));
  }
  hostWrite(text);
}

let current: Logger = defaultLogger;

/**
 * Installs `fn` as the one logger and returns the previous one, so a test can
 * capture logs and restore them. The default writes to `console.error` (or
 * `print` on engines without a console).
 *
 * @example
 * const seen: string[] = [];
 * const previous = setLogger((message) => { seen.push(message); });
 * // ...
 * setLogger(previous);
 */
export function setLogger(fn: Logger): Logger {
  if (typeof fn !== 'function') {
    throw new TypeError('[gencoro] setLogger: expected a function (message, error), got ' + typeof fn);
  }
  const previous = current;
  current = fn;
  return previous;
}

/** Sends one entry to the installed logger; a throwing logger is not allowed to escape. */
export function log(message: string, error?: unknown): void {
  try {
    current(message, error);
  } catch (e) {
    defaultLogger('The installed logger threw while logging: ' + message, e);
  }
}

/** True when `error` is an instance of one of `quiet` (a class or an array of classes). */
export function isQuiet(error: unknown, quiet: QuietExceptions | undefined): boolean {
  if (quiet === undefined || quiet === null) return false;
  if (typeof quiet === 'function') return error instanceof quiet;
  for (let i = 0; i < quiet.length; i++) if (error instanceof quiet[i]) return true;
  return false;
}

/** Error classes whose instances are not logged. Tornado: `quiet_exceptions`. */
export type QuietExceptions = (abstract new (...args: never[]) => unknown) |
  ReadonlyArray<abstract new (...args: never[]) => unknown>;
