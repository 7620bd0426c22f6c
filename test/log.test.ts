import test from 'ava';
import { Future, TimeoutError, multi, setLogger, sleep, withTimeout, type Logger } from 'gencoro';
import { failed } from './helpers/futures.js';
import { withLoop } from './helpers/loop.js';

/** Replaces console.error while `body` runs and returns what was written to it. */
function captureConsoleError(body: () => void): unknown[][] {
  const written: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => { written.push(args); };
  try {
    body();
  } finally {
    console.error = original;
  }
  return written;
}

test('setLogger returns the logger it replaces', (t) => {
  const first: Logger = () => {};
  const second: Logger = () => {};
  const original = setLogger(first);
  try {
    t.is(typeof original, 'function');
    t.is(setLogger(second), first);
    t.is(setLogger(first), second);
  } finally {
    t.is(setLogger(original), first);
  }
});

test('the installed logger receives the message and the error object itself', (t) => {
  const entries: Array<[string, unknown]> = [];
  const original = setLogger((message, error) => { entries.push([message, error]); });
  try {
    const primary = new Error('primary');
    const secondary = new Error('secondary');
    const notAnError = 'a plain string';
    const m = multi([failed(primary), failed(secondary), failed(notAnError)]);
    t.is(m.exception(), primary);
    t.is(entries.length, 2);
    t.deepEqual(entries.map((e) => e[0]), ['Multiple exceptions in yield list', 'Multiple exceptions in yield list']);
    t.is(entries[0][1], secondary);
    t.is(entries[1][1], notAnError);
  } finally {
    setLogger(original);
  }
});

test('every place that logs uses the one installed logger', (t) => {
  withLoop((loop, logs) => {
    const late = new Future<never>();
    const r = withTimeout(10, late);
    loop.runSync(() => sleep(20));
    t.true(r.exception() instanceof TimeoutError);
    const afterTimeout = new Error('after timeout');
    late.setException(afterTimeout);
    const callbackError = new Error('callback threw');
    const f = new Future<number>();
    f.addDoneCallback(() => { throw callbackError; });
    f.setResult(1);
    const loopError = new Error('loop callback threw');
    loop.addCallback(function throwing() { throw loopError; });
    loop.runOnce();
    t.deepEqual(logs.map((e) => e.message), [
      'Exception in Future after timeout',
      'Exception in callback for Future',
      'Exception in callback function throwing',
    ]);
    t.is(logs[0].error, afterTimeout);
    t.is(logs[1].error, callbackError);
    t.is(logs[2].error, loopError);
  });
});

test('a throwing logger does not escape: the entry goes to the default logger instead', (t) => {
  const loggerError = new Error('the logger itself failed');
  const original = setLogger(() => { throw loggerError; });
  try {
    const primary = new Error('primary');
    const secondary = new Error('secondary');
    let m: Future<unknown> | undefined;
    const written = captureConsoleError(() => {
      m = multi([failed(primary), failed(secondary)]);
    });
    t.is(m!.exception(), primary);
    t.is(written.length, 1);
    t.is(written[0].length, 1);
    const text = written[0][0] as string;
    t.true(text.startsWith('[gencoro] The installed logger threw while logging: Multiple exceptions in yield list\n'));
    t.true(text.includes('the logger itself failed'));
  } finally {
    setLogger(original);
  }
});

test('the default logger writes "[gencoro] message" and the error\'s stack to console.error', (t) => {
  const defaultLogger = setLogger(() => {});
  setLogger(defaultLogger);
  const error = new Error('shown with its stack');
  const written = captureConsoleError(() => {
    defaultLogger('Something happened', error);
    defaultLogger('No error here');
    defaultLogger('A thrown string', 'just text');
  });
  t.deepEqual(written, [
    ['[gencoro] Something happened\n' + error.stack],
    ['[gencoro] No error here'],
    ['[gencoro] A thrown string\njust text'],
  ]);
});

test('setLogger with something that is not a function throws a TypeError and keeps the current logger', (t) => {
  const mine: Logger = () => {};
  const original = setLogger(mine);
  try {
    t.throws(() => setLogger('console' as never), { instanceOf: TypeError, message: /setLogger: expected a function.*got string/ });
    t.throws(() => setLogger(null as never), { instanceOf: TypeError, message: /setLogger: expected a function/ });
    t.throws(() => setLogger(undefined as never), { instanceOf: TypeError, message: /got undefined/ });
    t.is(setLogger(mine), mine, 'the logger installed before the failed calls is still current');
  } finally {
    setLogger(original);
  }
});
