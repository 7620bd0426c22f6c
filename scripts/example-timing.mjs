// Times examples/crawler lowered (tspc + plugin) against unlowered (plain tsc,
// native generators) in this one Node process, for `npm run demo`
// (scripts/example.mjs). Both builds are CommonJS modules that share the
// runtime (`require('gencoro')`); each run evaluates the module's code again,
// which defines the coroutines and runs the whole program on a fresh
// virtual-clock IOLoop (so its sleeps and timeouts cost no wall time), with
// console.log counted instead of printed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** A function that runs the CommonJS module `file` once more and returns how many lines it printed. */
export function loadProgram(path) {
  const file = resolve(path);
  const code = readFileSync(file, 'utf8');
  const body = new Function('exports', 'require', 'module', '__filename', '__dirname', 'console', code);
  const requireHere = createRequire(file);
  let printed = 0;
  const quiet = { log() { printed++; }, error() { printed++; } };
  return function runOnce() {
    printed = 0;
    const module = { exports: {} };
    body.call(module.exports, module.exports, requireHere, module, file, dirname(file), quiet);
    return printed;
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Runs both programs `rounds` times in batches, alternating which goes first,
 * after a warm-up; returns { runsPerBatch, rounds, lowered, unlowered } where
 * the last two are the median ms per run, and the lines each run printed.
 */
export function timeLoweredVsUnlowered(loweredFile, unloweredFile, { rounds = 9, batchMs = 40 } = {}) {
  const programs = { lowered: loadProgram(loweredFile), unlowered: loadProgram(unloweredFile) };
  const lines = { lowered: programs.lowered(), unlowered: programs.unlowered() };
  // Warm up (let the JIT settle) and size a batch to about batchMs.
  let runsPerBatch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < runsPerBatch; i++) { programs.lowered(); programs.unlowered(); }
    if (performance.now() - t0 >= batchMs) break;
    runsPerBatch *= 2;
  }
  const perRun = { lowered: [], unlowered: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['lowered', 'unlowered'] : ['unlowered', 'lowered'];
    for (const name of order) {
      const run = programs[name];
      const t0 = performance.now();
      for (let i = 0; i < runsPerBatch; i++) run();
      perRun[name].push((performance.now() - t0) / runsPerBatch);
    }
  }
  return { runsPerBatch, rounds, lines, lowered: median(perRun.lowered), unlowered: median(perRun.unlowered) };
}
