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

test('ready(m, y): a fulfilled Future other than moment, on a machine a runner drives', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Future, LoweredCoroutine, StateMachine, ready, moment } = require(join(root, 'dist/cjs/index.js'));
  const driven = Object.create(LoweredCoroutine.prototype);
  const byHand = new StateMachine(() => undefined);
  const fulfilled = new Future();
  fulfilled.setResult('v');
  const failed = new Future();
  failed.setException(new Error('x'));
  failed.exception(); // observed: not logged as lost
  t.true(ready(driven, fulfilled));
  t.is(fulfilled._value, 'v', 'lowered code reads a fulfilled Future\'s value here');
  t.false(ready(byHand, fulfilled), 'a generator driven by hand sees every yield');
  t.false(ready(driven, new Future()), 'pending');
  t.false(ready(driven, failed), 'failed: the runner throws it in');
  t.true(moment.done());
  t.false(ready(driven, moment), 'moment always goes through the loop');
  t.false(ready(driven, { _state: 1, _value: 'v' }), 'not a Future');
  t.false(ready(driven, undefined));
  t.is(LoweredCoroutine.prototype._driven, true);
  t.is(StateMachine.prototype._driven, undefined);
});

test('a lowered machine is recognised by the brand the protocol names', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StateMachine } = require(join(root, 'dist/cjs/index.js'));
  t.is(StateMachine.prototype[protocol.MACHINE_BRAND], true);
});
