// The in-process half of the benchmark: runs one workload's candidates
// round-robin, checks that they all compute the same checksum, and prints one
// JSON line on stdout for bench/run.mjs. Not a workload itself (the leading
// underscore keeps it out of the orchestrator's table).
//
// A workload file calls
//
//   runWorkload({
//     id: 'a', title: '...', unit: 'yield', ops: 1e6,
//     metric: 'time',              // or 'bytes' (the candidate measures itself)
//     expected: 12345,             // optional: checksum computed independently
//     candidates: {                // ONE ENTRY PER CANDIDATE
//       runner: () => checksum | Promise<checksum>,
//       async:  () => ...,
//       sync:   () => ...,
//     },
//   });
//
// metric 'time': the harness times each call with process.hrtime.bigint()
// (awaiting it when it returns a thenable) and records ns per op.
// metric 'bytes': each call returns (or resolves to) { checksum, value, extra? }
// where `value` is the measured quantity (bytes per op); the harness only
// schedules, collects and checks.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The built runtime (dist/cjs), the same single copy the ESM entry re-exports. */
export const gencoro = require('../../dist/cjs/index.js');

if (typeof globalThis.gc !== 'function') {
  fail('run workloads with `node --expose-gc` (bench/run.mjs does)');
}

// Anything the runtime logs (a throwing callback, a lost failure, a secondary
// multi failure) means a candidate is broken: fail instead of timing it.
const runtimeLogs = [];
gencoro.setLogger((message, error) => { runtimeLogs.push(message + (error === undefined ? '' : ': ' + String(error))); });

/** Full GC, then the heap in use, in bytes. */
export function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

function median(sorted) {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function fail(text) {
  process.stderr.write(`bench: ${text}\n`);
  process.exit(1);
}

function isThenable(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';
}

/**
 * Runs `spec` (see the top of this file): `warmup` rounds (not recorded), then
 * `rounds` rounds; each round runs every candidate once, starting from a
 * different candidate each round so no candidate always runs first.
 * Environment: BENCH_ROUNDS (default spec.rounds or 7), BENCH_WARMUP
 * (default 2), BENCH_CANDIDATES (comma-separated names to keep).
 */
export async function runWorkload(spec) {
  const started = process.hrtime.bigint();
  const metric = spec.metric || 'time';
  const rounds = intFromEnv('BENCH_ROUNDS', spec.rounds || 7);
  const warmup = intFromEnv('BENCH_WARMUP', spec.warmup === undefined ? 2 : spec.warmup);
  if (rounds < 1) fail('BENCH_ROUNDS must be at least 1');
  const only = (process.env.BENCH_CANDIDATES || '').split(',').map((s) => s.trim()).filter(Boolean);
  const names = Object.keys(spec.candidates).filter((n) => only.length === 0 || only.includes(n));
  if (names.length === 0) fail(`workload ${spec.id}: no candidates left after BENCH_CANDIDATES=${only.join(',')}`);

  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const extras = Object.fromEntries(names.map((n) => [n, []]));
  const checksums = Object.fromEntries(names.map((n) => [n, undefined]));

  for (let round = 0; round < warmup + rounds; round++) {
    const recorded = round >= warmup;
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      let checksum;
      let value;
      let extra;
      if (metric === 'time') {
        // No global.gc() here: a forced full GC makes V8 throw away optimized
        // code that embeds objects which died (deopt reason "weak objects"),
        // so every sample would re-pay optimization (see bench/README.md).
        // Short-lived garbage is cleared by scavenges as the work goes on.
        const t0 = process.hrtime.bigint();
        let out = spec.candidates[name]();
        if (isThenable(out)) out = await out;
        const t1 = process.hrtime.bigint();
        checksum = out;
        value = Number(t1 - t0) / spec.ops;
      } else {
        let out = spec.candidates[name]();
        if (isThenable(out)) out = await out;
        if (out === null || typeof out !== 'object') fail(`workload ${spec.id}: candidate ${name} must return { checksum, value }`);
        checksum = out.checksum;
        value = out.value;
        extra = out.extra;
      }
      check(spec, name, checksum, checksums);
      if (runtimeLogs.length > 0) {
        fail(`workload ${spec.id}: candidate ${name} made the runtime log:\n  ${runtimeLogs.join('\n  ')}`);
      }
      if (recorded) {
        samples[name].push(value);
        if (extra !== undefined) extras[name].push(extra);
      }
    }
  }

  const candidates = {};
  for (const name of names) {
    const sorted = samples[name].slice().sort((x, y) => x - y);
    candidates[name] = {
      median: median(sorted),
      min: sorted[0],
      max: sorted[sorted.length - 1],
      samples: samples[name],
      checksum: checksums[name],
    };
    if (extras[name].length > 0) {
      // Medians of each numeric field of `extra`.
      const ex = {};
      for (const key of Object.keys(extras[name][0])) {
        ex[key] = median(extras[name].map((e) => e[key]).sort((x, y) => x - y));
      }
      candidates[name].extra = ex;
    }
  }

  const result = {
    workload: spec.id,
    title: spec.title,
    metric,
    unit: spec.unit,
    ops: spec.ops,
    rounds,
    warmup,
    host: `node ${process.version}`,
    elapsedMs: Number(process.hrtime.bigint() - started) / 1e6,
    candidates,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** Every sample of every candidate must give the same checksum (and `expected`, if given). */
function check(spec, name, checksum, checksums) {
  if (typeof checksum !== 'number' && typeof checksum !== 'string') {
    fail(`workload ${spec.id}: candidate ${name} returned ${String(checksum)} as its checksum (a number or string is required)`);
  }
  if (spec.expected !== undefined && checksum !== spec.expected) {
    fail(`workload ${spec.id}: CHECKSUM MISMATCH: candidate ${name} computed ${checksum}, expected ${spec.expected}`);
  }
  for (const other of Object.keys(checksums)) {
    if (checksums[other] !== undefined && checksums[other] !== checksum) {
      fail(`workload ${spec.id}: CHECKSUM MISMATCH: candidate ${name} computed ${checksum}, ` +
        `candidate ${other} computed ${checksums[other]}`);
    }
  }
  if (checksums[name] === undefined) checksums[name] = checksum;
}

/** The checksum step every candidate uses: an order-sensitive 32-bit mix. */
export function mix(acc, v) {
  return (Math.imul(acc, 31) + v) | 0;
}
