// Build-time cost of the compiler plugin: `npm run bench:build`
// (= `npm run build && node bench/build-bench.mjs`), or
//   node bench/build-bench.mjs [--files=200] [--per-file=20] [--runs=3]
//
// 1. Generates a project into .tmp/bench-build/ (git-ignored): `--files`
//    files of `--per-file` coroutines each, with realistic bodies (loops,
//    try/catch/finally, several yields, a few locals, multi, closures over
//    loop variables, destructuring, `yield* wait(...)`), each file importing
//    from the previous one, and one plain `selfTest()` per file that calls
//    all of its coroutines.
// 2. Times, interleaved (round-robin, starting from a different one each
//    round), after one unrecorded warm-up of each:
//      tsc          node node_modules/typescript/bin/tsc -p tsconfig.plain.json
//      tspc+plugin  node node_modules/ts-patch/bin/tspc.js -p tsconfig.plugin.json
//                   (the same options plus { "transform": "gencoro/transformer" })
//      tspc         tspc on tsconfig.plain.json: ts-patch's own cost, no plugin
//    as a user runs them (no --extendedDiagnostics: it records performance
//    marks around every printed node, which made the plugin build, whose
//    output has more nodes, 2.3 s slower and tsc 0.4 s: it measured the
//    instrumentation). Then one more run of each with --extendedDiagnostics,
//    not timed, for the breakdown (check, emit) read from the compiler
//    itself. Two times per timed run: the compiler process's CPU
//    time (user + system, from process.cpuUsage() at its exit, through a
//    `node -r` preload), the figure the ratio and the goal use because it
//    barely moves when other processes share the CPUs, and the wall time
//    around the process, shown next to it.
// 3. Checks the outputs: no diagnostics; the plugin output has one
//    lowered body (`new StateMachine(` or `begin(`) per coroutine and no `function*`, the plain output
//    one `function*` per coroutine; and a sample of files runs the same
//    (selfTest through runSync) in both outputs.
// 4. Prints the medians, the ratio tspc+plugin / tsc and the goal (the plugin
//    may add at most 25% to the build), and writes .tmp/bench-build/results.json.
//
// `gencoro/transformer` resolves from .tmp/bench-build through
// node_modules/gencoro, which is a link to this package (a dev dependency on
// "file:"), so the plugin under test is dist/transformer from `npm run build`.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const dir = join(root, '.tmp', 'bench-build');

const opts = { files: 200, perFile: 20, runs: 3 };
for (const a of process.argv.slice(2)) {
  const m = /^--(files|per-file|runs)=(\d+)$/.exec(a);
  if (!m) die(`unknown argument ${a}\nusage: node bench/build-bench.mjs [--files=200] [--per-file=20] [--runs=3]`);
  opts[m[1] === 'per-file' ? 'perFile' : m[1]] = Number(m[2]);
}
if (opts.files < 1 || opts.perFile < 5 || opts.runs < 1) die('need --files >= 1, --per-file >= 5, --runs >= 1');
const GOAL = 1.25;

function die(text) {
  process.stderr.write(`bench:build: ${text}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------
// 1. The project.
// ---------------------------------------------------------------------------

const pad = (n) => String(n).padStart(3, '0');

/** One coroutine of kind `kind` (0..4), number `j` of file `f`. Returns { name, code, call }. */
function coroutineSource(f, j, kind) {
  const k = f * 31 + j; // a per-coroutine constant, so no two bodies are identical
  const name = ['collect', 'retry', 'gather', 'scan', 'drain'][kind] + pad(f) + '_' + j;
  switch (kind) {
    case 0: // for...of, try/finally, several yields, a child coroutine, continue
      return {
        name,
        call: `${name}([1, 2, 3, 4, 5, 6, 7, 8], 'p${j}')`,
        code: `
export const ${name} = coroutine(function* (ids: number[], prefix: string) {
  const out: string[] = [];
  let failures = 0;
  let cleanups = 0;
  for (const id of ids) {
    try {
      const v: number = yield maybeFuture(id * ${k % 97 + 1});
      if (v % 7 === 0) {
        failures++;
        continue;
      }
      const label: string = yield label${pad(f)}(v, prefix);
      out.push(label);
    } finally {
      cleanups++;
      yield moment;
    }
  }
  return out.join(',') + ':' + failures + ':' + cleanups;
});
`,
      };
    case 1: // retry loop: try/catch, sleep, a counter, return from inside try
      return {
        name,
        call: `${name}(${(k % 3) + 2})`,
        code: `
export const ${name} = coroutine(function* (attempts: number) {
  let delay = ${(k % 5) + 1};
  let last: unknown = null;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const r: number = yield flaky${pad(f)}(attempt, ${k % 3});
      return r + attempt * delay;
    } catch (e) {
      last = e;
      yield sleep(delay);
      delay *= 2;
    }
  }
  throw last;
});
`,
      };
    case 2: // multi over an array and an object, destructuring, yield* wait(...)
      return {
        name,
        call: `${name}(${(k % 6) + 3})`,
        code: `
export const ${name} = coroutine(function* (n: number) {
  const futures: Future<number>[] = [];
  for (let i = 0; i < n; i++) futures.push(maybeFuture(i + ${k}));
  const values: number[] = yield multi(futures);
  let total = 0;
  for (const v of values) total += v;
  const { a, b }: { a: number; b: number } = yield { a: maybeFuture(total), b: maybeFuture(n) };
  const c = yield* wait(maybeFuture(a - b));
  return a * b + c;
});
`,
      };
    case 3: // labeled loop, switch, closures capturing per-iteration bindings
      return {
        name,
        call: `${name}(['alpha', 'be', 'gam', 'be', 'delta', 'epsilonz', 'x${j}'])`,
        code: `
export const ${name} = coroutine(function* (items: string[]) {
  const seen = new Set<string>();
  const callbacks: Array<() => number> = [];
  let count = ${k % 4};
  outer: for (let i = 0; i < items.length; i++) {
    const item = items[i];
    switch (item.length % 3) {
      case 0:
        yield moment;
        break;
      case 1:
        if (seen.has(item)) continue outer;
        seen.add(item);
        break;
      default: {
        const len: number = yield maybeFuture(item.length);
        count += len;
      }
    }
    callbacks.push(() => i * ${(k % 7) + 1} + count);
    if (count > 1000) break;
  }
  let sum = 0;
  for (const cb of callbacks) sum += cb();
  return sum;
});
`,
      };
    default: // while loop, nested try/catch/finally, a Future resolved by a loop callback
      return {
        name,
        call: `${name}(${(k % 4) + 2})`,
        code: `
export const ${name} = coroutine(function* (rounds: number) {
  const log: string[] = [];
  let round = 0;
  while (round < rounds) {
    const f = new Future<number>();
    IOLoop.current().addCallback(() => f.setResult(round * ${(k % 9) + 1}));
    try {
      const got: number = yield f;
      if (got > ${(k % 13) + 20}) throw new Error('too big ' + got);
      log.push('r' + got);
    } catch (e) {
      log.push('e' + (e as Error).message.length);
    } finally {
      round++;
    }
  }
  return log.join('/');
});
`,
      };
  }
}

function fileSource(f, perFile) {
  const prev = f === 0 ? null : pad(f - 1);
  let text = `// Generated by bench/build-bench.mjs: ${perFile} coroutines.\n` +
    `import { coroutine, Future, IOLoop, maybeFuture, moment, multi, sleep, wait } from 'gencoro';\n` +
    (prev ? `import { label${prev} } from './file${prev}';\n` : '') + '\n';
  // Two small helpers every file has: counted among its coroutines.
  text += `
export const label${pad(f)} = coroutine(function* (v: number, prefix: string) {
  const base: string = yield maybeFuture(prefix + '-');
  ${prev ? `const inner: string = v % 3 === 0 ? yield label${prev}(v - 1, '') : '';` : `const inner = '';`}
  return base + v + inner.length;
});

export const flaky${pad(f)} = coroutine(function* (attempt: number, failUntil: number) {
  yield moment;
  if (attempt < failUntil) throw new Error('attempt ' + attempt);
  return attempt * ${f + 1};
});
`;
  const calls = [];
  for (let j = 2; j < perFile; j++) {
    const c = coroutineSource(f, j, (j - 2) % 5);
    text += c.code;
    calls.push(c.call);
  }
  text += `
/** Calls every coroutine above once (the check that both builds behave the same). */
export function selfTest(): Future<unknown>[] {
  return [
    ${calls.join(',\n    ')},
  ];
}
`;
  return text;
}

function generate() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (let f = 0; f < opts.files; f++) writeFileSync(join(dir, 'src', `file${pad(f)}.ts`), fileSource(f, opts.perFile));
  const base = {
    compilerOptions: {
      target: 'ES2020',
      module: 'commonjs',
      strict: true,
      skipLibCheck: true,
      sourceMap: true,
      rootDir: 'src',
      newLine: 'lf',
    },
    include: ['src/**/*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.plain.json'), JSON.stringify({
    ...base, compilerOptions: { ...base.compilerOptions, outDir: 'out-plain' },
  }, null, 2) + '\n');
  writeFileSync(join(dir, 'tsconfig.plugin.json'), JSON.stringify({
    ...base, compilerOptions: { ...base.compilerOptions, outDir: 'out-plugin', plugins: [{ transform: 'gencoro/transformer' }] },
  }, null, 2) + '\n');
  writeFileSync(join(dir, 'tsconfig.tspc-plain.json'), JSON.stringify({
    ...base, compilerOptions: { ...base.compilerOptions, outDir: 'out-tspc-plain' },
  }, null, 2) + '\n');
  writeFileSync(join(dir, 'cpu-usage.cjs'), CPU_PRELOAD);
}

// ---------------------------------------------------------------------------
// 2. Timing.
// ---------------------------------------------------------------------------

const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tspcBin = join(root, 'node_modules', 'ts-patch', 'bin', 'tspc.js');
const BUILDS = [
  { id: 'tsc', bin: tscBin, config: 'tsconfig.plain.json', out: 'out-plain', about: 'plain tsc' },
  { id: 'tspc+plugin', bin: tspcBin, config: 'tsconfig.plugin.json', out: 'out-plugin', about: 'tspc with { "transform": "gencoro/transformer" }' },
  { id: 'tspc', bin: tspcBin, config: 'tsconfig.tspc-plain.json', out: 'out-tspc-plain', about: 'tspc with no plugin (ts-patch\'s own cost)' },
];

/** Preloaded into each compiler process: reports its CPU time on stderr as it exits. */
const CPU_PRELOAD = `process.on('exit', function () {
  require('fs').writeSync(2, '\\nBENCH_CPU ' + JSON.stringify(process.cpuUsage()) + '\\n');
});
`;

function runBuild(b, breakdown) {
  rmSync(join(dir, b.out), { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', join(dir, 'cpu-usage.cjs'), b.bin, '-p', join(dir, b.config), ...(breakdown ? ['--extendedDiagnostics'] : [])], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const diag = {};
      for (const m of stdout.matchAll(/^([A-Za-z][A-Za-z ]+?):\s+([\d.]+)(s|K)?\s*$/gm)) diag[m[1].trim()] = Number(m[2]);
      const errors = stdout.split('\n').filter((l) => /error TS\d+|GENCORO\d+/.test(l));
      const cpuLine = /^BENCH_CPU (.*)$/m.exec(stderr);
      stderr = stderr.replace(/^BENCH_CPU .*$/m, '');
      if (code !== 0 || errors.length > 0 || stderr.trim() !== '' || cpuLine === null) {
        reject(new Error(`${b.id} failed (exit ${code}):\n${errors.slice(0, 20).join('\n')}\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 4000)}`));
        return;
      }
      const usage = JSON.parse(cpuLine[1]);
      resolve({ wall, cpu: (usage.user + usage.system) / 1000, diag });
    });
  });
}

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// ---------------------------------------------------------------------------
// 3. Checks.
// ---------------------------------------------------------------------------

function checkOutputs() {
  const expected = opts.files * opts.perFile;
  const count = (out, re) => readdirSync(join(dir, out)).filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + (readFileSync(join(dir, out, f), 'utf8').match(re) || []).length, 0);
  // Either output shape: `new StateMachine(step)` (a step per call) or `begin(step, ...)` (a shared step).
  const machines = count('out-plugin', /\bnew\s+[\w$]+\.(Region)?StateMachine\(|\.begin\([\w$]+, [01]\)/g);
  const starsPlugin = count('out-plugin', /\bfunction\s*\*/g);
  const starsPlain = count('out-plain', /\bfunction\s*\*/g);
  const problems = [];
  if (machines !== expected) problems.push(`the plugin output has ${machines} lowered bodies (\`new StateMachine(\`/\`begin(\`) for ${expected} coroutines`);
  if (starsPlugin !== 0) problems.push(`the plugin output still has ${starsPlugin} \`function*\``);
  if (starsPlain !== expected) problems.push(`the plain output has ${starsPlain} \`function*\` for ${expected} coroutines`);
  if (problems.length > 0) die(problems.join('\n'));

  // Run a sample of files in both builds; they must give the same results.
  const gencoro = require(join(root, 'dist', 'cjs', 'index.js'));
  const sample = [...new Set([0, 1, Math.floor(opts.files / 2), opts.files - 1])];
  const outcome = (out, f) => {
    const mod = require(join(dir, out, `file${pad(f)}.js`));
    const loop = new gencoro.IOLoop({ clock: 'virtual' });
    const settled = loop.runSync(() => gencoro.multi(mod.selfTest().map((fut) => {
      const box = new gencoro.Future();
      fut.addDoneCallback((d) => box.setResult(d.exception() === undefined ? ['ok', d.result()] : ['error', String(d.exception())]));
      return box;
    })));
    return JSON.stringify(settled);
  };
  for (const f of sample) {
    const plain = outcome('out-plain', f);
    const lowered = outcome('out-plugin', f);
    if (plain !== lowered) die(`file${pad(f)}: the plugin build behaves differently:\n  plain:   ${plain.slice(0, 400)}\n  lowered: ${lowered.slice(0, 400)}`);
  }
  return { machines, sample };
}

// ---------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(root, 'dist', 'transformer', 'index.js'))) die('dist/transformer is missing: run `npm run build` first');
  const cpus = os.cpus();
  console.log(`gencoro build benchmark on ${cpus.length > 0 ? cpus[0].model.trim() : 'unknown'}, ${cpus.length} cores, ` +
    `node ${process.version}, typescript ${require('typescript/package.json').version}, ts-patch ${require('ts-patch/package.json').version}`);
  console.log(`Load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const t0 = Date.now();
  generate();
  const lines = readdirSync(join(dir, 'src')).reduce((n, f) => n + readFileSync(join(dir, 'src', f), 'utf8').split('\n').length, 0);
  console.log(`Generated ${relative(root, dir)}/src: ${opts.files} files x ${opts.perFile} coroutines = ${opts.files * opts.perFile} coroutines, ${lines} lines`);

  const samples = Object.fromEntries(BUILDS.map((b) => [b.id, []]));
  const rounds = 1 + opts.runs; // round 0 is the warm-up
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < BUILDS.length; i++) {
      const b = BUILDS[(i + round) % BUILDS.length];
      let r;
      try {
        r = await runBuild(b);
      } catch (e) {
        die(e.message);
      }
      console.log(`  ${round === 0 ? 'warm-up' : 'run ' + round}: ${b.id.padEnd(11)} ${(r.cpu / 1000).toFixed(2)} s CPU, ${(r.wall / 1000).toFixed(2)} s wall`);
      if (round > 0) samples[b.id].push(r);
    }
    if (round === 0) checkOutputs();
  }
  const checked = checkOutputs();

  // The breakdown: one more run of each with --extendedDiagnostics (slower itself, so not in the timings).
  const breakdown = {};
  for (const b of BUILDS) {
    let r;
    try {
      r = await runBuild(b, true);
    } catch (e) {
      die(e.message);
    }
    const d = r.diag;
    breakdown[b.id] = { checkS: d['Check time'], emitS: d['Emit time'], transformS: d['transformTime time'], printS: d['printTime time'], totalS: d['Total time'] };
    console.log(`  --extendedDiagnostics: ${b.id.padEnd(11)} ${(r.cpu / 1000).toFixed(2)} s CPU` +
      ` (check ${d['Check time']}s, emit ${d['Emit time']}s, of which transforms ${d['transformTime time'] ?? '?'}s; total ${d['Total time']}s)`);
  }

  const summary = {};
  for (const b of BUILDS) {
    const xs = samples[b.id];
    summary[b.id] = {
      about: b.about,
      cpuMs: median(xs.map((x) => x.cpu)),
      wallMs: median(xs.map((x) => x.wall)),
      ...breakdown[b.id],
      cpuSamplesMs: xs.map((x) => x.cpu),
      wallSamplesMs: xs.map((x) => x.wall),
    };
  }
  const ratio = summary['tspc+plugin'].cpuMs / summary.tsc.cpuMs;
  const wallRatio = summary['tspc+plugin'].wallMs / summary.tsc.wallMs;
  const tspcRatio = summary.tspc.cpuMs / summary.tsc.cpuMs;
  const pluginOnly = summary['tspc+plugin'].cpuMs / summary.tspc.cpuMs;
  const emitRatio = summary['tspc+plugin'].emitS / summary.tsc.emitS;

  console.log('');
  console.log(`Median of ${opts.runs} runs each (after 1 warm-up), interleaved. CPU: the compiler process's user+system time ` +
    '(the ratios use it); check / emit / total: from one more run with --extendedDiagnostics (the compiler\'s own wall-clock phases).');
  console.log('');
  const rows = BUILDS.map((b) => {
    const s = summary[b.id];
    return [b.id, (s.cpuMs / 1000).toFixed(2) + ' s', (s.cpuMs / summary.tsc.cpuMs).toFixed(2) + 'x',
      (s.wallMs / 1000).toFixed(2) + ' s', (s.wallMs / summary.tsc.wallMs).toFixed(2) + 'x',
      s.checkS.toFixed(2) + ' s', s.emitS.toFixed(2) + ' s', s.totalS.toFixed(2) + ' s',
      s.cpuSamplesMs.map((x) => (x / 1000).toFixed(2)).join(' ')];
  });
  const head = ['build', 'CPU', 'vs tsc', 'wall', 'vs tsc', 'check', 'emit', 'total', 'CPU runs (s)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const b of BUILDS) console.log(`  ${b.id}: ${b.about}`);
  console.log('');
  console.log(`tspc+plugin vs tsc: ${ratio.toFixed(2)}x CPU (+${((ratio - 1) * 100).toFixed(0)}%; wall ${wallRatio.toFixed(2)}x)   ` +
    `goal: the plugin adds at most 25%: ${ratio <= GOAL ? 'MET' : 'NOT MET'}`);
  console.log(`  of which ts-patch alone (tspc, no plugin, vs tsc): ${tspcRatio.toFixed(2)}x; the plugin on top of tspc: ${pluginOnly.toFixed(2)}x; emit phase tspc+plugin vs tsc: ${emitRatio.toFixed(2)}x`);
  console.log(`Checked: ${checked.machines} lowered bodies and no function* in the plugin output, ${opts.files * opts.perFile} function* in the plain output; ` +
    `files ${checked.sample.map(pad).join(', ')} give the same selfTest results in both builds.`);

  const out = join(dir, 'results.json');
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine: { cpu: cpus.length > 0 ? cpus[0].model.trim() : 'unknown', cores: cpus.length, node: process.version, loadAverage: os.loadavg() },
    typescript: require('typescript/package.json').version,
    tsPatch: require('ts-patch/package.json').version,
    project: { files: opts.files, perFile: opts.perFile, coroutines: opts.files * opts.perFile, lines },
    runs: opts.runs,
    builds: summary,
    ratio,
    wallRatio,
    tspcRatio,
    pluginOnTspc: pluginOnly,
    goal: { text: 'the plugin adds at most 25% (tspc+plugin / tsc CPU time <= 1.25)', met: ratio <= GOAL },
  }, null, 2) + '\n');
  console.log(`Load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}. Total ${((Date.now() - t0) / 1000).toFixed(1)} s. Results: ${relative(root, out)}`);
}

await main();
