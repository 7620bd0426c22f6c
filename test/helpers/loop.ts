/**
 * Test fixtures shared by the runtime tests: a fresh virtual-clock loop per
 * test, and a logger that records instead of printing.
 */
import { IOLoop, setLogger, type Logger } from 'gencoro';

/** One logged entry. */
export interface LogEntry {
  message: string;
  error: unknown;
}

/**
 * Runs `body` with a fresh virtual-clock loop made current and the logger
 * captured; restores both afterwards. `body` runs synchronously, so tests
 * sharing a worker never see each other's loop.
 */
export function withLoop<R>(body: (loop: IOLoop, logs: LogEntry[]) => R): R {
  const loop = new IOLoop({ clock: 'virtual' });
  const logs: LogEntry[] = [];
  const previousLogger: Logger = setLogger((message, error) => { logs.push({ message, error }); });
  loop.makeCurrent();
  try {
    return body(loop, logs);
  } finally {
    IOLoop.clearCurrent();
    setLogger(previousLogger);
  }
}

/** Runs `fn` on a fresh virtual loop with `runSync` and returns what it returned, plus the logs. */
export function runOnLoop<T>(fn: () => T): { value: unknown; logs: LogEntry[] } {
  return withLoop((loop, logs) => ({ value: loop.runSync(fn), logs }));
}
