/**
 * The differential harness: compiles one generated program twice (plain
 * TypeScript output with native generators, and through a lowering), runs
 * both in fresh `vm` contexts against the built runtime (dist/cjs), and
 * compares what they print. See test/fuzz/README.md.
 */
import * as fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as vm from 'node:vm';
import ts from 'typescript';
import { PRELUDE, programArbitrary, type ProgramOptions } from './program.js';

export const repoRoot = resolve(__dirname, '../..');

// ---------------------------------------------------------------------------
// Compiling

export interface CompileOptions {
  /** Output target (default ES2020). ES5 turns on downlevelIteration. */
  target?: ts.ScriptTarget;
}

export interface Compiled {
  js: string;
  /** Syntactic and emit diagnostics (including a transformer's), formatted. */
  diagnostics: string[];
}

export type Transformers = ts.CustomTransformers | Array<ts.TransformerFactory<ts.SourceFile>>;

function compile(source: string, transformers: Transformers | undefined, options: CompileOptions): Compiled {
  const target = options.target ?? ts.ScriptTarget.ES2020;
  const customTransformers = transformers === undefined ? undefined
    : Array.isArray(transformers) ? { before: transformers } : transformers;
  const out = ts.transpileModule(source, {
    fileName: 'program.ts',
    reportDiagnostics: true,
    compilerOptions: {
      target,
      module: ts.ModuleKind.CommonJS,
      strict: true,
      downlevelIteration: target < ts.ScriptTarget.ES2015,
      sourceMap: false,
    },
    transformers: customTransformers,
  });
  const diagnostics = (out.diagnostics ?? []).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `program.ts:${line + 1}:${character + 1}: ${text}`;
  });
  return { js: out.outputText, diagnostics };
}

/** Plain TypeScript output: coroutines stay generator functions. */
export function compileUnlowered(source: string, options: CompileOptions = {}): Compiled {
  return compile(source, undefined, options);
}

/**
 * The same compilation with `transformers` in `customTransformers.before`
 * (a list is taken as `before`): pass `[createTransformer()]` from
 * dist/transformer once the plugin exists.
 */
export function compileLowered(source: string, transformers: Transformers, options: CompileOptions = {}): Compiled {
  return compile(source, transformers, options);
}

/** A way of compiling the "lowered" side. */
export interface Lowering {
  name: string;
  compile(source: string): Compiled;
  /**
   * Require that the output has no generator function left inside a
   * `coroutine(...)` call (off for the identity lowering, on for the plugin).
   */
  expectLowered?: boolean;
  /** Accept a lowering that reports diagnostics (default: a diagnostic is a failure). */
  allowDiagnostics?: boolean;
  /**
   * The same compilation without the lowering: when the lowering throws and
   * this throws the same, TypeScript itself cannot compile the program at this
   * target, and the case is skipped (counted in FuzzStats.typescriptFailed).
   */
  baseline?: (source: string) => Compiled;
  /** Extra `npm run fuzz` arguments and environment needed to replay (e.g. the target). */
  replay?: { args: string; env: string };
}

/** A lowering made of transformer factories. */
export function transformerLowering(name: string, transformers: Transformers,
  options: CompileOptions & { expectLowered?: boolean; allowDiagnostics?: boolean } = {}): Lowering {
  return {
    name,
    compile: (source) => compileLowered(source, transformers, options),
    baseline: (source) => compileLowered(source, [], options),
    expectLowered: options.expectLowered ?? true,
    allowDiagnostics: options.allowDiagnostics,
  };
}

/** Lowered = unlowered: the plugin does not exist yet, so this checks the harness itself. */
export const identityLowering: Lowering = {
  name: 'identity',
  compile: (source) => compileLowered(source, []),
  expectLowered: false,
};

/**
 * The generator functions still passed to `coroutine(...)` in compiled
 * output, as "line: text" strings (empty when everything was lowered).
 */
export function unloweredCoroutines(js: string): string[] {
  const file = ts.createSourceFile('out.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && /\bcoroutine\)?$/.test(node.expression.getText(file))) {
      const fn = node.arguments[0];
      if (fn !== undefined && ts.isFunctionExpression(fn) && fn.asteriskToken !== undefined) {
        const { line } = file.getLineAndCharacterOfPosition(fn.getStart(file));
        found.push(`${line + 1}: ${js.split('\n')[line].trim().slice(0, 100)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

// ---------------------------------------------------------------------------
// Running

export interface RunOptions {
  /** Hard wall-clock limit per run in ms (default 3000); the program's own step limit comes first. */
  timeoutMs?: number;
  /** The CommonJS runtime that `require('gencoro')` loads (default dist/cjs). */
  runtimeDir?: string;
}

export interface Run {
  status: 'ok' | 'error' | 'timeout';
  /** What the program printed. */
  output: string;
  /** For 'error' and 'timeout': what escaped the program. */
  error?: string;
}

const scriptCache = new Map<string, vm.Script>();
const PRELUDE_FILE = '<prelude>';

function wrapModule(code: string, filename: string): vm.Script {
  return new vm.Script('(function (exports, require, module, __filename, __dirname) {' + code + '\n})', { filename });
}

function moduleScript(file: string): vm.Script {
  let script = scriptCache.get(file);
  if (script === undefined) {
    script = wrapModule(readFileSync(file, 'utf8'), file);
    scriptCache.set(file, script);
  }
  return script;
}

const preludeScripts = new Map<string, vm.Script>();

function preludeScript(js: string): vm.Script {
  let script = preludeScripts.get(js);
  if (script === undefined) {
    script = wrapModule(js, 'prelude.js');
    preludeScripts.set(js, script);
  }
  return script;
}

function resolveIn(base: string): string | null {
  for (const candidate of [base, base + '.js', join(base, 'index.js')]) {
    if (existsSync(candidate) && candidate.endsWith('.js')) return candidate;
  }
  return null;
}

/**
 * A `require` for code running in `context`: `gencoro` maps to the runtime
 * directory, './prelude' to the compiled prelude, relative paths resolve
 * next to the requiring file, other bare names as Node resolves them from the
 * package root. Every module is evaluated inside the context, so each run
 * has its own copy of the runtime (no state shared between runs).
 */
function contextRequire(context: vm.Context, runtimeDir: string, prelude: string): (spec: string) => unknown {
  const modules = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const cached = modules.get(file);
    if (cached !== undefined) return cached.exports;
    const module = { exports: {} as unknown };
    modules.set(file, module);
    const script = file === PRELUDE_FILE ? preludeScript(prelude) : moduleScript(file);
    const fn = script.runInContext(context) as (...args: unknown[]) => void;
    fn.call(module.exports, module.exports, requireFrom(dirname(file)), module, file, dirname(file));
    return module.exports;
  };
  const requireFrom = (dir: string) => (spec: string): unknown => {
    let file: string | null = null;
    if (spec === './prelude') file = PRELUDE_FILE;
    else if (spec === 'gencoro') file = resolveIn(join(runtimeDir, 'index'));
    else if (spec.startsWith('./') || spec.startsWith('../')) file = resolveIn(resolve(dir, spec));
    else {
      // Other bare specifiers ('gencoro/...' through package.json "exports", 'tslib', ...)
      // resolve as Node would from the package root, but load into this context.
      try {
        file = require.resolve(spec, { paths: [repoRoot] });
      } catch {
        file = spec.startsWith('gencoro/') ? resolveIn(join(runtimeDir, spec.slice('gencoro/'.length))) : null;
      }
    }
    if (file === null) throw new Error(`fuzz harness: cannot require "${spec}" (runtime: ${runtimeDir})`);
    return load(file);
  };
  return requireFrom(runtimeDir);
}

/**
 * Runs a compiled program (CommonJS) in a fresh context: `require` gives the
 * built runtime and `prelude` (the compiled PRELUDE) as './prelude', `print`
 * collects output. The context has no timers, so the
 * runtime takes it for a host without an event loop (like duk and mujs), and
 * no FinalizationRegistry/WeakRef, so nothing depends on when V8 collects.
 */
export function runProgram(js: string, prelude: string, options: RunOptions = {}): Run {
  const printed: string[] = [];
  const context = vm.createContext({ print: (s: unknown) => { printed.push(String(s)); } });
  vm.runInContext('delete globalThis.FinalizationRegistry; delete globalThis.WeakRef;', context);
  context.__require = contextRequire(context, options.runtimeDir ?? join(repoRoot, 'dist/cjs'), prelude);
  context.__module = { exports: {} };
  try {
    const script = new vm.Script(
      '(function (exports, require, module) {' + js + '\n})(__module.exports, __require, __module);',
      { filename: 'program.js' });
    script.runInContext(context, { timeout: options.timeoutMs ?? 3000 });
    return { status: 'ok', output: printed.join('\n') };
  } catch (e) {
    const code = (e as { code?: string } | null)?.code;
    if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return { status: 'timeout', output: printed.join('\n'), error: String((e as Error).message) };
    }
    // The stack's frames are the harness's own; the message (for a SyntaxError, with the line) is what matters.
    const text = e !== null && typeof e === 'object' && 'stack' in e
      ? String((e as Error).stack).split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').trim() : String(e);
    return { status: 'error', output: printed.join('\n'), error: text };
  }
}

// ---------------------------------------------------------------------------
// Comparing

export interface Side {
  compiled: Compiled;
  run: Run | null;
}

export interface Verdict {
  /** Null when both sides agree; otherwise what went wrong. */
  problem: string | null;
  /** True when the problem lies in the generated program (or the runtime), not in the lowering. */
  invalidProgram: boolean;
  /** Not compared: TypeScript itself throws compiling the program at the lowering's target (see Lowering.baseline). */
  typescriptFailed?: boolean;
  unlowered: Side;
  lowered: Side;
}

const preludes = new WeakMap<Lowering | typeof compileUnlowered, Compiled>();

/** The PRELUDE compiled by `compile` (once per lowering). */
function compiledPrelude(key: Lowering | typeof compileUnlowered, compile: (s: string) => Compiled): Compiled {
  let compiled = preludes.get(key);
  if (compiled === undefined) {
    compiled = compile(PRELUDE);
    preludes.set(key, compiled);
  }
  return compiled;
}

/** Compiles and runs `source` both ways and compares. */
export function checkProgram(source: string, lowering: Lowering, options: RunOptions = {}): Verdict {
  const unloweredPrelude = compiledPrelude(compileUnlowered, (s) => compileUnlowered(s));
  if (unloweredPrelude.diagnostics.length > 0) throw new Error('PRELUDE: ' + unloweredPrelude.diagnostics.join('; '));
  const unloweredCompiled = compileUnlowered(source);
  const unlowered: Side = { compiled: unloweredCompiled, run: null };
  const lowered: Side = { compiled: { js: '', diagnostics: [] }, run: null };
  const verdict = (problem: string | null, invalidProgram = false): Verdict =>
    ({ problem, invalidProgram, unlowered, lowered });
  if (unloweredCompiled.diagnostics.length > 0) {
    return verdict('the generated program does not compile: ' + unloweredCompiled.diagnostics.join('; '), true);
  }
  unlowered.run = runProgram(unloweredCompiled.js, unloweredPrelude.js, options);
  if (unlowered.run.status !== 'ok') {
    return verdict(`the generated program fails unlowered (${unlowered.run.status}): ${unlowered.run.error}`, true);
  }
  let loweredPrelude: Compiled;
  try {
    loweredPrelude = compiledPrelude(lowering, (s) => lowering.compile(s));
    lowered.compiled = lowering.compile(source);
  } catch (e) {
    if (typescriptThrowsAlike(lowering, source, e)) return { ...verdict(null), typescriptFailed: true };
    return verdict(`lowering "${lowering.name}" threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
  for (const [what, compiled] of [['the prelude', loweredPrelude], ['the program', lowered.compiled]] as const) {
    if (compiled.diagnostics.length > 0 && !lowering.allowDiagnostics) {
      return verdict(`lowering "${lowering.name}" reported on ${what}: ${compiled.diagnostics.join('; ')}`);
    }
    if (lowering.expectLowered) {
      const left = unloweredCoroutines(compiled.js);
      if (left.length > 0) return verdict(`lowering "${lowering.name}" left coroutines unlowered in ${what}: ${left.join('; ')}`);
    }
  }
  lowered.run = runProgram(lowered.compiled.js, loweredPrelude.js, options);
  if (lowered.run.status !== 'ok') {
    return verdict(`the lowered program fails (${lowered.run.status}): ${lowered.run.error}`);
  }
  if (lowered.run.output !== unlowered.run.output) return verdict('the outputs differ');
  return verdict(null);
}

/** True if compiling `source` without the lowering throws the same error `e` (a TypeScript crash). */
function typescriptThrowsAlike(lowering: Lowering, source: string, e: unknown): boolean {
  if (lowering.baseline === undefined || !(e instanceof Error)) return false;
  try {
    lowering.baseline(source);
    return false;
  } catch (b) {
    return b instanceof Error && b.message === e.message;
  }
}

/** Failures of one kind shrink together (see fuzz). */
function failureKind(v: Verdict): string {
  if (v.invalidProgram) return 'invalid program';
  if (v.problem === 'the outputs differ') return 'different output';
  if (v.lowered.run !== null) return 'lowered run failed';
  return 'lowering failed';
}

/** Thrown by the property so fast-check records a failure with a one-line reason. */
export class Mismatch extends Error {
  constructor(readonly verdict: Verdict) {
    super(verdict.problem ?? 'mismatch');
    this.name = 'Mismatch';
  }
}

// ---------------------------------------------------------------------------
// The fuzz run

export interface FuzzOptions {
  runs: number;
  seed?: number;
  /** fast-check's replay path of a previous failure. */
  path?: string;
  lowering?: Lowering;
  program?: ProgramOptions;
  run?: RunOptions;
  /** Called after every test case (not during shrinking) with the count so far. */
  onCase?: (count: number) => void;
  /** Turn off shrinking (faster when only detection matters). */
  noShrink?: boolean;
}

export interface FuzzStats {
  cases: number;
  ok: number;
  threw: number;
  stepLimit: number;
  traceEntries: number;
  yieldsInSource: number;
  /** Programs TypeScript itself cannot compile at the lowering's target (not compared). */
  typescriptFailed: number;
}

export interface FuzzResult {
  failed: boolean;
  seed: number;
  /** The replay path of the smallest failing case. */
  path: string | undefined;
  numRuns: number;
  numShrinks: number;
  /** The smallest failing program. */
  source: string | undefined;
  verdict: Verdict | undefined;
  /** Everything a person needs to understand and replay a failure. */
  report: string;
  stats: FuzzStats;
}

/** Runs the property `runs` times (plus shrinking on failure). */
export function fuzz(options: FuzzOptions): FuzzResult {
  const lowering = options.lowering ?? identityLowering;
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const stats: FuzzStats = { cases: 0, ok: 0, threw: 0, stepLimit: 0, traceEntries: 0, yieldsInSource: 0, typescriptFailed: 0 };
  let shrinking = false;
  let firstKind: string | null = null;
  const property = fc.property(programArbitrary(options.program), (source) => {
    const verdict = checkProgram(source, lowering, options.run);
    if (!shrinking) {
      stats.cases++;
      const out = verdict.unlowered.run?.output ?? '';
      const result = out.slice(out.lastIndexOf(' => ') + 4);
      if (result.startsWith('ok')) stats.ok++;
      else if (result.startsWith('threw')) stats.threw++;
      if (out.includes('(STEP LIMIT)')) stats.stepLimit++;
      if (verdict.typescriptFailed) stats.typescriptFailed++;
      stats.traceEntries += out.slice(0, out.lastIndexOf(' => ')).split(' ').length;
      stats.yieldsInSource += (source.match(/\byield\b/g) ?? []).length;
      options.onCase?.(stats.cases);
    }
    if (verdict.problem !== null) {
      // While shrinking, only the first failure's kind counts: a smaller program
      // failing for another reason (say, the generator's own bug instead of the
      // lowering's) must not take over the report.
      const kind = failureKind(verdict);
      if (firstKind !== null && kind !== firstKind) return;
      firstKind = kind;
      shrinking = true;
      throw new Mismatch(verdict);
    }
  });
  const details = fc.check(property, {
    numRuns: options.runs,
    seed,
    path: options.path,
    endOnFailure: options.noShrink === true,
  });
  if (!details.failed) {
    return { failed: false, seed, path: undefined, numRuns: details.numRuns, numShrinks: 0, source: undefined,
      verdict: undefined, report: `${details.numRuns} programs, lowering "${lowering.name}": no difference (seed ${seed})`,
      stats };
  }
  const source = details.counterexample?.[0];
  const verdict = source === undefined ? undefined : checkProgram(source, lowering, options.run);
  const result: FuzzResult = {
    failed: true, seed, path: details.counterexamplePath ?? undefined, numRuns: details.numRuns,
    numShrinks: details.numShrinks, source, verdict, report: '', stats,
  };
  result.report = formatFailure(result, lowering, details.errorInstance);
  return result;
}

// ---------------------------------------------------------------------------
// Reports

function numbered(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  return lines.map((l, i) => String(i + 1).padStart(width) + ' | ' + l).join('\n');
}

/** Where two printed traces first differ, with a little context. */
export function firstDifference(a: string, b: string): string {
  const x = a.split(' ');
  const y = b.split(' ');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (i === x.length && i === y.length) return 'no difference';
  const from = Math.max(0, i - 4);
  const show = (list: string[]) => (from > 0 ? '... ' : '') + list.slice(from, i + 4).join(' ') +
    (i + 4 < list.length ? ' ...' : '');
  return `at entry ${i + 1}: unlowered has ${JSON.stringify(x[i] ?? '(end)')}, lowered has ${JSON.stringify(y[i] ?? '(end)')}\n` +
    `  unlowered: ${show(x)}\n  lowered:   ${show(y)}`;
}


function formatFailure(result: FuzzResult, lowering: Lowering, error: unknown): string {
  const v = result.verdict;
  const lines: string[] = [];
  const path = result.path === undefined ? '' : ` --path "${result.path}"`;
  lines.push(`Lowering "${lowering.name}" failed on a generated program` +
    (v?.invalidProgram ? ' (the program itself is invalid: a generator or runtime bug)' : '') + '.');
  lines.push(`Problem: ${v?.problem ?? (error instanceof Error ? error.message : String(error))}`);
  lines.push(`Seed ${result.seed}, path "${result.path ?? ''}" (failed after ${result.numRuns} runs, ` +
    `${result.numShrinks} shrinks).`);
  const extra = lowering.replay ?? { args: '', env: '' };
  lines.push(`Replay: npm run fuzz -- --lowering ${lowering.name}${extra.args} --seed ${result.seed}${path}`);
  lines.push(`    or: FUZZ_LOWERING=${lowering.name}${extra.env} FUZZ_SEED=${result.seed}` +
    `${result.path === undefined ? '' : ` FUZZ_PATH="${result.path}"`} npx ava test/fuzz.test.ts`);
  if (result.source !== undefined) {
    lines.push('', '--- smallest failing program (./prelude is PRELUDE in test/fuzz/program.ts) ---');
    lines.push(numbered(result.source));
  }
  if (v !== undefined) {
    const u = v.unlowered.run;
    const l = v.lowered.run;
    lines.push('', '--- unlowered output ---', u === null ? '(not run)' : u.output || '(nothing printed)');
    if (u !== null && u.error !== undefined) lines.push('error: ' + u.error);
    lines.push('--- lowered output ---', l === null ? '(not run)' : l.output || '(nothing printed)');
    if (l !== null && l.error !== undefined) lines.push('error: ' + l.error);
    if (u !== null && l !== null && u.status === 'ok' && l.status === 'ok') {
      lines.push('--- first difference ---', firstDifference(u.output, l.output));
    }
    if (v.lowered.compiled.js !== '' && v.lowered.compiled.js !== v.unlowered.compiled.js) {
      lines.push('', '--- lowered JavaScript ---', numbered(v.lowered.compiled.js));
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Deliberately wrong lowerings, to prove the harness catches real mistakes

/** Applies `rewrite` once, to the first matching node inside the coroutine `main`. */
function mutateMain(
  matches: (node: ts.Node) => boolean,
  rewrite: (node: ts.Node, f: ts.NodeFactory) => ts.Node,
): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    let done = false;
    let inMain = false;
    const visit = (node: ts.Node): ts.Node => {
      if (done) return node;
      if (!inMain && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'main') {
        inMain = true;
        try { return ts.visitEachChild(node, visit, context); } finally { inMain = false; }
      }
      if (inMain && matches(node)) {
        done = true;
        return rewrite(ts.visitEachChild(node, visit, context), context.factory);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(file, visit) as ts.SourceFile;
  };
}

function containsYield(node: ts.Node): boolean {
  if (ts.isYieldExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (child) => containsYield(child) || undefined) === true;
}

/** Swaps the operands of the first `+` whose right operand contains a yield. */
export const swapPlusMutant: ts.TransformerFactory<ts.SourceFile> = mutateMain(
  (node) => ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    containsYield(node.right),
  (node, f) => {
    const b = node as ts.BinaryExpression;
    return f.updateBinaryExpression(b, f.createParenthesizedExpression(b.right), b.operatorToken,
      f.createParenthesizedExpression(b.left));
  },
);

/** Drops the first `finally` block. */
export const dropFinallyMutant: ts.TransformerFactory<ts.SourceFile> = mutateMain(
  (node) => ts.isTryStatement(node) && node.finallyBlock !== undefined,
  (node, f) => {
    const s = node as ts.TryStatement;
    return s.catchClause === undefined ? s.tryBlock : f.updateTryStatement(s, s.tryBlock, s.catchClause, undefined);
  },
);

/**
 * Turns the first object-literal method that reads `this` into an arrow
 * property: its `this` becomes the body's, as a lowering that rewrote `this`
 * across a method boundary would make it.
 */
export const methodThisMutant: ts.TransformerFactory<ts.SourceFile> = mutateMain(
  (node) => ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent) && node.body !== undefined &&
    node.body.getText().includes('this.'),
  (node, f) => {
    const m = node as ts.MethodDeclaration;
    return f.createPropertyAssignment(m.name, f.createArrowFunction(undefined, undefined, [], undefined,
      f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), m.body!));
  },
);

const mutantTransformers: Record<string, ts.TransformerFactory<ts.SourceFile>> = {
  'swap-plus': swapPlusMutant,
  'drop-finally': dropFinallyMutant,
  'method-this': methodThisMutant,
};

function mutantLowering(name: string, options: CompileOptions = {}): Lowering {
  return { name, compile: (source) => compileLowered(source, [mutantTransformers[name]], options) };
}

/** The deliberately wrong lowerings, by name. */
export const mutants: Record<string, Lowering> = Object.fromEntries(
  Object.keys(mutantTransformers).map((name) => [name, mutantLowering(name)]));

/**
 * The lowering named on a command line: `identity`, a mutant name, `plugin`
 * (dist/transformer's `createTransformer()`), or a module path exporting
 * `createTransformer()` (or a default export) that returns a transformer
 * factory, a list of them, or a CustomTransformers object.
 */
export function loweringByName(name: string, options: CompileOptions = {}): Lowering {
  const lowering = findLowering(name, options);
  if (options.target === ts.ScriptTarget.ES5) lowering.replay = { args: ' --target es5', env: ' FUZZ_TARGET=es5' };
  return lowering;
}

function findLowering(name: string, options: CompileOptions): Lowering {
  if (name === 'identity') {
    // With a target: e.g. TypeScript's own ES5 generator transform against native generators.
    return { name, compile: (source) => compileLowered(source, [], options), expectLowered: false };
  }
  if (mutantTransformers[name] !== undefined) return mutantLowering(name, options);
  const file = name === 'plugin' ? join(repoRoot, 'dist/transformer/index.js') : resolve(name);
  type Make = (options?: unknown, program?: unknown, onDiagnostic?: (d: ts.Diagnostic) => void) => unknown;
  const mod = require(file) as { createTransformer?: Make; default?: Make };
  const make = mod.createTransformer ?? mod.default;
  if (typeof make !== 'function') throw new Error(`${file}: exports no createTransformer()`);
  const made = make() as Transformers | ts.TransformerFactory<ts.SourceFile>;
  const transformers = typeof made === 'function' ? [made] : made;
  return transformerLowering(name, transformers, options);
}

/** Names `loweringByName` knows besides module paths. */
export const loweringNames = ['identity', 'plugin', ...Object.keys(mutants)];
