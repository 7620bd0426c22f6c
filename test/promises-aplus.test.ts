import test from 'ava';
import { Future, setLogger } from 'gencoro';

// promises-aplus-tests ships no types; its programmatic API is
// `(adapter, mochaOptions, callback(err))`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const promisesAplusTests = require('promises-aplus-tests') as (
  adapter: object,
  options: object,
  done: (err: Error | null) => void,
) => void;

/**
 * The adapter the suite drives. The suite's `resolved(x)` and `deferred().resolve(x)`
 * mean Promise *resolution*: a thenable `x` must be followed. `Future.setResult`
 * deliberately stores a thenable as it is (Tornado), so the adapter resolves
 * through `then`, whose handler return value goes through the Promises/A+
 * resolution procedure. A deferred's resolve/reject are no-ops once used, like a
 * Promise's.
 */
const adapter = {
  resolved(value: unknown): Future<unknown> {
    const d = adapter.deferred();
    d.resolve(value);
    return d.promise;
  },
  rejected(reason: unknown): Future<unknown> {
    const f = new Future<unknown>();
    f.setException(reason);
    return f;
  },
  deferred() {
    const source = new Future<unknown>();
    return {
      promise: source.then((value) => value),
      resolve(value: unknown): void { if (!source.done()) source.setResult(value); },
      reject(reason: unknown): void { if (!source.done()) source.setException(reason); },
    };
  },
};

interface MochaTest { fullTitle(): string }
interface MochaRunner { on(event: string, fn: (test: MochaTest, err?: Error) => void): void }

test('Future passes the whole Promises/A+ compliance suite (promises-aplus-tests), on the host-woken default loop', async (t) => {
  const passed: string[] = [];
  const failed: string[] = [];
  // A reporter that records instead of printing.
  function Recorder(runner: MochaRunner): void {
    runner.on('pass', (test) => { passed.push(test.fullTitle()); });
    runner.on('fail', (test, err) => { failed.push(test.fullTitle() + ': ' + (err && err.message)); });
  }
  const logged: string[] = [];
  const previousLogger = setLogger((message) => { logged.push(message); });
  let error: Error | null;
  try {
    error = await new Promise<Error | null>((resolve) => {
      promisesAplusTests(adapter, { reporter: Recorder }, resolve);
    });
  } finally {
    setLogger(previousLogger);
  }
  t.deepEqual(failed, []);
  t.is(error, null);
  t.is(passed.length, 872);
  // Nothing but lost failures (rejected Futures the suite never looks at) may be logged.
  t.deepEqual(logged.filter((m) => m !== 'Future exception was never retrieved'), []);
});
