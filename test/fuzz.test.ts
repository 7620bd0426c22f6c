/**
 * Differential property test of the compiler plugin: random coroutine
 * programs (test/fuzz/program.ts) must print exactly the same thing unlowered
 * and lowered (test/fuzz/harness.ts). See test/fuzz/README.md.
 *
 * Environment (all optional):
 * - FUZZ_RUNS: programs per run (default 1000);
 * - FUZZ_SEED, FUZZ_PATH: replay a failure (both are printed with it);
 * - FUZZ_LOWERING: `plugin` (default: dist/transformer's createTransformer()),
 *   `identity`, a mutant name, or a module path;
 * - FUZZ_TARGET: `es5` to compile the lowered side to ES5.
 */
import test from 'ava';
import ts from 'typescript';
import {
  compileUnlowered, fuzz, loweringByName, mutants, runProgram, type FuzzResult,
} from './fuzz/harness.js';
import { PRELUDE } from './fuzz/program.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PATH = process.env.FUZZ_PATH;
const LOWERING = process.env.FUZZ_LOWERING ?? 'plugin';
const TARGET = process.env.FUZZ_TARGET === 'es5' ? ts.ScriptTarget.ES5 : undefined;

function summary(r: FuzzResult): string {
  const s = r.stats;
  return `seed ${r.seed}: ${s.cases} programs (${s.ok} returned, ${s.threw} threw, ${s.stepLimit} hit the step limit, ${s.typescriptFailed} not compiled by TypeScript itself), ` +
    `${(s.traceEntries / Math.max(1, s.cases)).toFixed(1)} trace entries and ` +
    `${(s.yieldsInSource / Math.max(1, s.cases)).toFixed(1)} yields per program`;
}

test(`lowering "${LOWERING}" keeps the meaning of ${RUNS} random coroutines`, (t) => {
  const lowering = loweringByName(LOWERING, { target: TARGET });
  const started = Date.now();
  const result = fuzz({ runs: RUNS, seed: SEED, path: PATH, lowering });
  t.log(summary(result) + `, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.failed) t.fail(result.report);
  else t.pass();
});

test(`lowering "${LOWERING}" at target ES5 keeps the meaning of ${Math.ceil(RUNS / 4)} random coroutines`, (t) => {
  const lowering = loweringByName(LOWERING, { target: ts.ScriptTarget.ES5 });
  const result = fuzz({ runs: Math.ceil(RUNS / 4), seed: SEED, path: PATH, lowering });
  t.log(summary(result));
  if (result.failed) t.fail(result.report);
  else t.pass();
});

// The harness must be able to fail: deliberately wrong lowerings are caught
// within a few hundred programs and shrink to a readable counterexample.
for (const [name, lowering] of Object.entries(mutants)) {
  test(`a wrong lowering is caught and shrunk: ${name}`, (t) => {
    const result = fuzz({ runs: 500, lowering });
    t.true(result.failed, `not caught in 500 programs (seed ${result.seed})`);
    if (!result.failed) return;
    t.log(`caught after ${result.numRuns} programs, ${result.numShrinks} shrink steps (seed ${result.seed})`);
    t.log(result.report.split('\n--- lowered JavaScript ---')[0]);
    t.false(result.verdict!.invalidProgram, result.report);
    t.is(result.verdict!.problem, 'the outputs differ', result.report);
    // Readable: `main` shrinks to a handful of lines.
    const lines = result.source!.split('\n').length;
    t.true(lines <= 16, `the smallest program still has ${lines} lines:\n${result.report}`);
  });
}

test('a program that never ends is reported, not waited for', (t) => {
  const prelude = compileUnlowered(PRELUDE).js;
  const run = runProgram('for (;;) {}', prelude, { timeoutMs: 200 });
  t.is(run.status, 'timeout');
  const crash = runProgram('require("./prelude"); throw new Error("boom");', prelude);
  t.is(crash.status, 'error');
  t.regex(crash.error!, /boom/);
});
