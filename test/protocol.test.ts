/**
 * The runtime and the compiler plugin share a few numbers (runtime/protocol.ts).
 * The plugin's copies must equal the runtime's.
 */
import test from 'ava';
import { join } from 'node:path';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protocol = require(join(root, 'dist/cjs/protocol.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emitter = require(join(root, 'dist/transformer/emitter.js'));

test('the completion kinds the plugin emits are the runtime protocol\'s', (t) => {
  t.deepEqual(emitter.Completion, {
    normal: protocol.COMPLETION_NORMAL, throw: protocol.COMPLETION_THROW,
    return: protocol.COMPLETION_RETURN, jump: protocol.COMPLETION_JUMP,
  });
});

test('a finished machine has the state the plugin emits for the end of a body', (t) => {
  t.is(emitter.DONE, protocol.DONE);
  t.true(protocol.DONE < 0, 'no case label is negative');
});

test('lowered code reads a fulfilled Future\'s state as the runtime writes it', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const future = require(join(root, 'dist/cjs/future.js'));
  t.is(emitter.FUTURE_FULFILLED, future.FULFILLED);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Future, LoweredCoroutine, StateMachine } = require(join(root, 'dist/cjs/index.js'));
  const f = new Future();
  f.setResult('v');
  t.is(f._state, emitter.FUTURE_FULFILLED);
  t.is(f._value, 'v');
  t.is(LoweredCoroutine.prototype._driven, true);
  t.is(StateMachine.prototype._driven, undefined);
});

test('a lowered machine is recognised by the brand the protocol names', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StateMachine } = require(join(root, 'dist/cjs/index.js'));
  t.is(StateMachine.prototype[protocol.MACHINE_BRAND], true);
});
