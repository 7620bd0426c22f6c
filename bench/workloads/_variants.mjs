// Loads the compiled variants (runner, lowered, tsgen) of one coroutine
// workload source, bench/lowered/<source>.ts, into a workload process, and
// checks that each really is what its name says, loudly:
//   - the compiled text (again: the same checks as at compile time);
//   - `require('gencoro')` from the compiled file is the very runtime the
//     harness uses (dist/cjs), not a second copy;
//   - at run time, `assertKind(variant, fn, args)` calls the body behind a
//     coroutine function (`fn.__wrapped__`, which only creates the body's
//     state, it runs nothing) and checks what it returns: a StateMachine for
//     lowered, a native generator for runner, TypeScript's `__generator`
//     object for tsgen.
// If .tmp/bench is missing or stale (a workload file run by hand after an
// edit), it is compiled first in a child process, so TypeScript never loads
// into the measured process.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { NODE_VARIANTS, checkOutput, coroutineCount, isFresh, nodeOutput, root, sourceDir } from './_compile.mjs';
import { gencoro } from './_harness.mjs';

const require = createRequire(import.meta.url);
const runtimePath = require.resolve('../../dist/cjs/index.js');

function fail(text) {
  process.stderr.write(`bench: ${text}\n`);
  process.exit(1);
}

function ensureCompiled() {
  if (isFresh()) return;
  const r = spawnSync(process.execPath, [join(root, 'bench', 'workloads', '_compile.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) fail('compiling bench/lowered failed');
  if (!isFresh()) fail('bench/lowered was compiled but .tmp/bench is still stale (is a build running?)');
}

/** { runner, lowered, tsgen }: the module exports of each variant of bench/lowered/<source>.ts. */
export function loadVariants(source) {
  ensureCompiled();
  const expected = coroutineCount(readFileSync(join(sourceDir, source + '.ts'), 'utf8'));
  const out = {};
  for (const variant of NODE_VARIANTS) {
    const file = nodeOutput(variant, source);
    try {
      checkOutput(variant, readFileSync(file, 'utf8'), expected, relative(root, file));
    } catch (e) {
      fail(e.message);
    }
    const req = createRequire(file);
    if (req.resolve('gencoro') !== runtimePath) {
      fail(`${relative(root, file)}: require('gencoro') resolves to ${req.resolve('gencoro')}, not ${runtimePath}`);
    }
    out[variant] = req(file);
    if (req('gencoro') !== gencoro) fail(`${relative(root, file)}: require('gencoro') is a second copy of the runtime`);
  }
  return out;
}

/**
 * Fails the process unless the coroutine function `fn` of `variant` has the
 * body that variant must have (see the top of this file). `args` are passed
 * to the body, which only builds its initial state.
 */
export function assertKind(variant, fn, args = []) {
  if (!gencoro.isCoroutineFunction(fn) || typeof fn.__wrapped__ !== 'function') fail(`${variant}: not a coroutine function`);
  const body = fn.__wrapped__.apply(undefined, args);
  const tag = Object.prototype.toString.call(body);
  const isMachine = body instanceof gencoro.StateMachine;
  let ok;
  if (variant === 'lowered') ok = isMachine;
  else if (variant === 'runner') ok = tag === '[object Generator]' && !isMachine;
  else if (variant === 'tsgen') ok = !isMachine && tag !== '[object Generator]' && typeof body.next === 'function' && typeof body.throw === 'function';
  else fail(`unknown variant ${variant}`);
  if (!ok) {
    fail(`${variant}: the coroutine body ${fn.name || '(anonymous)'} returned ${tag}` +
      `${isMachine ? ' (a StateMachine)' : ''}, which is not what the ${variant} candidate must run`);
  }
  if (typeof body.return === 'function' && !isMachine) body.return(undefined); // close it (it never started)
}
