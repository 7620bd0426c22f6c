// The benchmark orchestrator: `npm run bench` (which builds first), or
//   node bench/run.mjs [workload ids...] [--rounds=N] [--warmup=N] [--candidates=runner,async]
//                      [--engines=duk,mujs|none] [--es5-rounds=N] [--es5-warmup=N] [--repeat=N]
//
// It first compiles the coroutine workloads (bench/lowered/*.ts) into
// .tmp/bench/ (bench/workloads/_compile.mjs: plain, with the gencoro plugin,
// and TypeScript's ES5 `__generator` output; plus the duk/mujs bundles), then
// runs each workload in its own process (`node --expose-gc <file>`), one after
// the other, reads the JSON line each prints on stdout, checks that every
// candidate of a workload computed the same checksum, prints one table with
// ns (or bytes) per operation and each candidate's ratio to async/await, then
// runs the ES5-engine processes (duk, mujs) and prints their own table (their
// baseline is TypeScript's `__generator` on the same engine), and writes
// everything to bench/results.json. See bench/README.md.

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onPath } from '../scripts/on-path.cjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---------------------------------------------------------------------------
// The tables. A new workload is one entry in WORKLOADS; a new candidate is one
// entry in the `candidates` table of the workload files (and, for a nice
// label and column order, one entry in CANDIDATES). A candidate that cannot
// run inside Node (e.g. on duk) is one more WORKLOADS entry with the same id
// and a `command` that prints the same JSON line (see bench/README.md); its
// candidates join that workload's row and its checksums are checked with it.
// ---------------------------------------------------------------------------

/**
 * Processes to run, in order. `file` runs as `node --expose-gc file`;
 * `command` is a full argv. An entry with `engine` runs on that ES5 engine
 * (skipped, with a note, when it is not installed or `--engines` leaves it
 * out); its candidates go to the engine table, not the Node one.
 */
const WORKLOADS = [
  { id: 'a', file: 'workloads/a-done-yields.mjs' },
  { id: 'b', file: 'workloads/b-child-calls.mjs' },
  { id: 'c', file: 'workloads/c-multi.mjs' },
  { id: 'd', file: 'workloads/d-suspended-memory.mjs' },
  { id: 'e', file: 'workloads/e-round-trips.mjs' },
  { id: 'a', engine: 'duk', bundle: '.tmp/bench/es5/a-done-yields.js' },
  { id: 'a', engine: 'mujs', bundle: '.tmp/bench/es5/a-done-yields.js' },
];

/** Column order and descriptions. `async` is the baseline every ratio is taken against. */
const CANDIDATES = [
  { id: 'runner', label: 'runner', about: 'coroutine(function* ...) of bench/lowered/*.ts compiled by plain tsc (ES2020): native generators driven by the runtime' },
  { id: 'lowered', label: 'lowered', about: 'the same source through the gencoro plugin (ES2020): one LoweredCoroutine per call (machine, runner and Future in one object; shared step)' },
  { id: 'tsgen', label: 'tsgen', about: 'the same source compiled by tsc to ES5 (its __generator helper, no plugin), driven by the same runner' },
  { id: 'async', label: 'async', about: 'native async/await (the baseline: ratio 1x)' },
  { id: 'sync', label: 'sync', about: 'a plain synchronous loop doing the same arithmetic (the floor)' },
];
const BASELINE = 'async';

/**
 * The issue's goals, checked and reported (never tuned for here): `candidate`
 * over `versus` (default: the baseline) must be at most `atMost` (0.25 = "at
 * least 4x faster", or 4x smaller). `aim`: a stretch ratio, reported too.
 * `engine`: a goal on an ES5 engine's table.
 */
const GOALS = [
  { workload: 'a', candidate: 'runner', atMost: 1, strict: true, text: 'runner beats async/await' },
  { workload: 'b', candidate: 'runner', atMost: 1, strict: true, text: 'runner beats async/await' },
  { workload: 'd', candidate: 'runner', atMost: 1.5, text: 'runner within 1.5x of async bytes' },
  { workload: 'a', candidate: 'lowered', atMost: 1 / 6, aim: 1 / 8, text: 'lowered at least 6x faster than async/await (aim 8x)' },
  { workload: 'a', candidate: 'lowered', versus: 'runner', atMost: 1 / 2.5, text: 'lowered at least 2.5x faster than the unlowered runner' },
  { workload: 'b', candidate: 'lowered', atMost: 1 / 3, text: 'lowered at least 3x faster than async/await' },
  { workload: 'd', candidate: 'lowered', atMost: 1 / 4, text: 'lowered at most a quarter of async bytes' },
  { workload: 'e', candidate: 'lowered', atMost: 1, text: 'lowered no slower than async/await' },
  { engine: 'duk', workload: 'a', candidate: 'duk-lowered', versus: 'duk-tsgen', atMost: 1 / 3, text: 'lowered ES5 at least 3x faster than __generator on duk' },
];

/** Besides each ratio to the baseline, these pairs get a sentence of their own on every workload. */
const PAIRS = [['lowered', 'runner'], ['lowered', 'tsgen']];

/**
 * How many times each Node workload process runs (the figure is the median
 * of the process medians): V8's tiering differs from process to process (for
 * example (a) lowered is about 5.4 ns per yield in most processes and about
 * 8 ns in roughly one in eight), so one process alone can mislead.
 * The ES5-engine processes (interpreters, no JIT) run once.
 */
const DEFAULT_REPEAT = 3;

/** A workload process taking longer than this is killed and reported as a failure. */
const PROCESS_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { ids: [], env: {}, engines: null, es5: [], repeat: DEFAULT_REPEAT };
  for (const a of argv) {
    const m = /^--(rounds|warmup|candidates)=(.+)$/.exec(a);
    const e = /^--engines=(.+)$/.exec(a);
    const r = /^--es5-(rounds|warmup)=(\d+)$/.exec(a);
    const n = /^--repeat=(\d+)$/.exec(a);
    if (m) out.env['BENCH_' + m[1].toUpperCase()] = m[2];
    else if (n && Number(n[1]) >= 1) out.repeat = Number(n[1]);
    else if (e) out.engines = e[1] === 'none' ? [] : e[1].split(',').map((x) => x.trim()).filter(Boolean);
    else if (r) out.es5.push(`--${r[1]}=${r[2]}`);
    else if (/^[a-z0-9][a-z0-9_-]*$/i.test(a)) out.ids.push(a);
    else {
      die(`unknown argument ${a}\nusage: node bench/run.mjs [ids...] [--rounds=N] [--warmup=N] [--candidates=a,b] ` +
        '[--engines=duk,mujs|none] [--es5-rounds=N] [--es5-warmup=N] [--repeat=N]');
    }
  }
  return out;
}

/** The argv of an ES5-engine entry: duk takes options through `-e`, mujs through scriptArgs. */
function engineCommand(entry, path) {
  const bundle = join(root, entry.bundle);
  if (entry.engine === 'duk') return [path, '-e', `var BENCH_ARGS = ${JSON.stringify(args.es5)};`, bundle];
  return [path, bundle, ...args.es5];
}

function die(text) {
  process.stderr.write(`bench: ${text}\n`);
  process.exit(1);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus.length > 0 ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    totalMemGiB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Runs one process; resolves to its parsed JSON line. */
function runProcess(entry) {
  const argv = entry.command ? entry.command.slice() : [process.execPath, '--expose-gc', join(here, entry.file)];
  const shown = entry.command ? argv.map((a) => relative(root, a).startsWith('..') ? a : relative(root, a)).join(' ')
    : `node --expose-gc ${relative(root, argv[2])}`;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: root,
      env: { ...process.env, ...args.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${shown}: no result after ${PROCESS_TIMEOUT_MS / 1000} s, killed`));
    }, PROCESS_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`${shown}: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${shown} failed (${signal ? 'signal ' + signal : 'exit code ' + code})`));
        return;
      }
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (line === undefined) {
        reject(new Error(`${shown} printed no JSON result`));
        return;
      }
      try {
        resolve(JSON.parse(line));
      } catch (e) {
        reject(new Error(`${shown} printed bad JSON: ${e.message}`));
      }
    });
  });
}

/**
 * The same process run `--repeat` times: each candidate's figure is the
 * median of the per-process medians (min/max over all samples); the
 * per-process medians are kept as `processMedians`.
 */
function combineRuns(runs) {
  if (runs.length === 1) return runs[0];
  const first = runs[0];
  const out = { ...first, candidates: {}, processes: runs.length };
  for (const name of Object.keys(first.candidates)) {
    const cs = runs.map((r) => r.candidates[name]);
    for (const c of cs) {
      if (c === undefined) die(`workload ${first.workload}: candidate ${name} missing from a repeated process`);
      if (c.checksum !== cs[0].checksum) die(`workload ${first.workload}: CHECKSUM MISMATCH between repeated processes of ${name}`);
    }
    const medians = cs.map((c) => c.median);
    const sorted = medians.slice().sort((x, y) => x - y);
    const n = sorted.length;
    out.candidates[name] = {
      median: n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
      min: Math.min(...cs.map((c) => c.min)),
      max: Math.max(...cs.map((c) => c.max)),
      samples: cs.flatMap((c) => c.samples),
      processMedians: medians,
      checksum: cs[0].checksum,
    };
    if (cs[0].extra) {
      const ex = {};
      for (const key of Object.keys(cs[0].extra)) {
        const v = cs.map((c) => c.extra[key]).sort((x, y) => x - y);
        ex[key] = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      }
      out.candidates[name].extra = ex;
    }
  }
  return out;
}

/** Merges the results of the processes of one workload id; fails loudly on any checksum difference. */
function merge(id, parts, baseline = BASELINE) {
  const first = parts[0];
  const merged = { ...first, candidates: {}, hosts: [] };
  delete merged.host;
  delete merged.elapsedMs;
  for (const part of parts) {
    for (const key of ['metric', 'unit', 'ops']) {
      if (part[key] !== first[key]) die(`workload ${id}: processes disagree on ${key} (${first[key]} vs ${part[key]})`);
    }
    merged.hosts.push(part.host);
    for (const [name, c] of Object.entries(part.candidates)) {
      if (name in merged.candidates) die(`workload ${id}: candidate ${name} reported by two processes`);
      merged.candidates[name] = { ...c, host: part.host };
    }
  }
  const sums = Object.entries(merged.candidates).map(([name, c]) => [name, c.checksum]);
  for (const [name, sum] of sums) {
    if (sum !== sums[0][1]) {
      die(`workload ${id}: CHECKSUM MISMATCH: ${sums[0][0]} computed ${sums[0][1]}, ${name} computed ${sum}`);
    }
  }
  const base = merged.candidates[baseline];
  for (const c of Object.values(merged.candidates)) c.ratio = base ? c.median / base.median : null;
  merged.baseline = baseline;
  return merged;
}

function fmtValue(v, metric) {
  if (metric === 'bytes') return v.toFixed(0);
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function fmtRatio(r) {
  return r >= 10 ? r.toFixed(0) + 'x' : r.toFixed(2) + 'x';
}

/** "0.45x of async time = 2.2x faster" */
function describeRatio(r, metric, versus = BASELINE) {
  const what = metric === 'bytes' ? 'bytes' : 'time';
  const better = metric === 'bytes' ? 'smaller' : 'faster';
  const worse = metric === 'bytes' ? 'larger' : 'slower';
  if (r === 1) return `1x of ${versus} ${what} = the same`;
  return `${r.toFixed(2)}x of ${versus} ${what} = ` +
    (r < 1 ? `${(1 / r).toFixed(1)}x ${better}` : `${r.toFixed(1)}x ${worse}`);
}

/** Checks the goals for candidate `name` of result `r`; returns the text to append and records them on `c.goals`. */
function goalText(r, name, engine) {
  let text = '';
  for (const goal of GOALS) {
    if (goal.workload !== r.workload || goal.candidate !== name || (goal.engine || null) !== (engine || null)) continue;
    const versus = r.candidates[goal.versus || r.baseline];
    const c = r.candidates[name];
    if (!versus) continue;
    const ratio = c.median / versus.median;
    const met = goal.strict ? ratio < goal.atMost : ratio <= goal.atMost;
    const record = { text: goal.text, versus: goal.versus || r.baseline, ratio, required: goal.atMost, met };
    let line = `   goal: ${goal.text}: ${met ? 'MET' : 'NOT MET'}`;
    if (goal.versus && goal.versus !== r.baseline) line += ` (${describeRatio(ratio, r.metric, goal.versus)})`;
    if (goal.aim !== undefined) {
      record.aim = goal.aim;
      record.aimMet = ratio <= goal.aim;
      line += `; aim ${(1 / goal.aim).toFixed(0)}x: ${record.aimMet ? 'reached' : 'not reached'}`;
    }
    (c.goals || (c.goals = [])).push(record);
    text += line;
  }
  return text;
}

function pad(s, n, right = false) {
  s = String(s);
  return right ? s.padStart(n) : s.padEnd(n);
}

/** A text table; the first `left` columns are left-aligned, the others right-aligned. */
function table(rows, columns, left = 2) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((s, i) => pad(s, widths[i], i >= left)).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const known = new Set(WORKLOADS.map((w) => w.id));
  for (const id of args.ids) if (!known.has(id)) die(`unknown workload ${id} (known: ${[...known].join(', ')})`);
  const info = machine();
  const started = Date.now();

  console.log(`gencoro benchmarks on ${info.cpu}, ${info.cores} cores, node ${info.node} (V8 ${info.v8}), ${info.platform}`);
  const [l1] = info.loadAverage;
  console.log(`Load average before: ${info.loadAverage.join(' ')}` +
    (l1 > info.cores / 2 ? `  (WARNING: other processes are using the CPUs, figures will be noisy)` : ''));

  // 1. Compile bench/lowered/*.ts (skipped when .tmp/bench is up to date).
  const compiled = spawnSync(process.execPath, [join(here, 'workloads', '_compile.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (compiled.status !== 0) die('compiling bench/lowered failed (see above)');

  // 2. The processes: every Node workload, then the ES5 engines.
  const selected = [];
  const skipped = [];
  for (const w of WORKLOADS) {
    if (args.ids.length > 0 && !args.ids.includes(w.id)) continue;
    if (!w.engine) {
      selected.push(w);
      continue;
    }
    if (args.engines !== null && !args.engines.includes(w.engine)) continue;
    const path = onPath(w.engine);
    if (path === null) {
      skipped.push(`${w.engine} is not installed (Debian package ${w.engine === 'duk' ? 'duktape' : w.engine}): workload (${w.id}) on ${w.engine} skipped`);
      continue;
    }
    selected.push({ ...w, command: engineCommand(w, path) });
  }

  const byId = new Map();
  const byEngine = new Map();
  for (const entry of selected) {
    const t0 = Date.now();
    const runs = [];
    for (let k = 0; k < (entry.engine ? 1 : args.repeat); k++) {
      try {
        runs.push(await runProcess(entry));
      } catch (e) {
        die(e.message);
      }
    }
    const part = combineRuns(runs);
    if (part.workload !== entry.id) die(`${entry.file || entry.command.join(' ')} reported workload ${part.workload}, expected ${entry.id}`);
    const key = entry.engine ? `${entry.engine}:${entry.id}` : entry.id;
    const into = entry.engine ? byEngine : byId;
    if (!into.has(key)) into.set(key, []);
    into.get(key).push(part);
    const unit = part.metric === 'bytes' ? 'B' : 'ns';
    const cells = Object.entries(part.candidates).map(([name, c]) =>
      `${name} ${fmtValue(c.median, part.metric)} ${unit} [${fmtValue(c.min, part.metric)}..${fmtValue(c.max, part.metric)}]`);
    console.log(`  (${part.workload}) ${part.host === `node ${process.version}` ? '' : part.host + ': '}${part.title}: ${cells.join(', ')}` +
      `  (${part.rounds} rounds${runs.length > 1 ? ` x ${runs.length} processes` : ''}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (runs.length > 1) {
      console.log('      per-process medians: ' + Object.entries(part.candidates).map(([name, c]) =>
        `${name} ${c.processMedians.map((v) => fmtValue(v, part.metric)).join('/')}`).join(', '));
    }
  }
  for (const note of skipped) console.log(`  ${note}`);

  const results = [...byId].map(([id, parts]) => merge(id, parts));
  const engineResults = [...byEngine].map(([key, parts]) => {
    const engine = key.split(':')[0];
    const r = merge(parts[0].workload, parts, `${engine}-tsgen`);
    r.engine = engine;
    r.host = parts[0].host;
    return r;
  });

  if (results.length > 0) printNodeTable(results);
  if (engineResults.length > 0) printEngineTable(engineResults);

  const after = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const out = join(here, 'results.json');
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine: info,
    loadAverageAfter: after,
    baseline: BASELINE,
    candidates: CANDIDATES,
    options: { ...args.env, engines: args.engines, es5: args.es5, repeat: args.repeat },
    elapsedSeconds: (Date.now() - started) / 1000,
    workloads: results,
    engines: engineResults,
  }, null, 2) + '\n');
  console.log('');
  console.log(`Machine: ${info.cpu}, ${info.cores} cores, node ${info.node}; load average ${info.loadAverage.join(' ')} before, ` +
    `${after.join(' ')} after. Total ${((Date.now() - started) / 1000).toFixed(1)} s. Results: ${relative(root, out)}`);
}

function printNodeTable(results) {
  // Columns: the known candidates first, in CANDIDATES order, then any others.
  const names = CANDIDATES.map((c) => c.id).filter((n) => results.some((r) => n in r.candidates));
  for (const r of results) for (const n of Object.keys(r.candidates)) if (!names.includes(n)) names.push(n);
  const labels = names.map((n) => (CANDIDATES.find((c) => c.id === n) || { label: n }).label);

  const rows = results.map((r) => [
    `(${r.workload}) ${r.title}`,
    r.metric === 'bytes' ? `B/${r.unit}` : `ns/${r.unit}`,
    ...names.map((n) => {
      const c = r.candidates[n];
      if (!c) return '-';
      return `${fmtValue(c.median, r.metric)} (${c.ratio === null ? '?' : fmtRatio(c.ratio)})`;
    }),
  ]);

  const rounds = results.map((r) => r.rounds);
  const warmups = results.map((r) => r.warmup);
  console.log('');
  console.log(`Median per operation; in brackets the ratio to ${BASELINE} (below 1x = faster, or smaller, than ${BASELINE}/await).`);
  console.log(`Rounds: ${[...new Set(rounds)].join('/')} after ${[...new Set(warmups)].join('/')} warm-up, candidates interleaved round-robin, one process per workload` +
    (args.repeat > 1 ? `, run ${args.repeat} times (the median of the ${args.repeat} process medians).` : '.'));
  console.log('');
  console.log(table(rows, ['workload', 'unit', ...labels]));
  for (const n of names) {
    const c = CANDIDATES.find((x) => x.id === n);
    if (c) console.log(`  ${c.label}: ${c.about}`);
  }
  if (rows.some((r) => r.includes('-'))) console.log('  -: not measured (a synchronous loop has nothing suspended)');
  console.log('');

  for (const r of results) {
    for (const n of names) {
      if (n === BASELINE || !r.candidates[n] || r.candidates[n].ratio === null) continue;
      const c = r.candidates[n];
      let text = `(${r.workload}) ${n}: ${describeRatio(c.ratio, r.metric)}`;
      if (r.metric === 'bytes' && c.extra && r.candidates[BASELINE].extra) {
        text += ` (${fmtValue(c.median, 'bytes')} vs ${fmtValue(r.candidates[BASELINE].median, 'bytes')} B; ` +
          `counting the awaited object too: ${fmtValue(c.extra.withAwaited, 'bytes')} vs ` +
          `${fmtValue(r.candidates[BASELINE].extra.withAwaited, 'bytes')} B)`;
      }
      console.log(text + goalText(r, n));
    }
    for (const [x, y] of PAIRS) {
      const cx = r.candidates[x];
      const cy = r.candidates[y];
      if (!cx || !cy) continue;
      const ratio = cx.median / cy.median;
      (r.pairs || (r.pairs = {}))[`${x}/${y}`] = ratio;
      console.log(`(${r.workload}) ${x} vs ${y}: ${describeRatio(ratio, r.metric, y)}`);
    }
  }
}

function printEngineTable(results) {
  console.log('');
  console.log('ES5 engines: the same source (bench/lowered/*.ts) on dist/gencoro.es5.js, timed inside the engine with Date.now();');
  console.log('median per operation; in brackets the ratio to the same engine\'s tsgen (TypeScript\'s __generator output).');
  console.log('');
  const rows = [];
  for (const r of results) {
    for (const [name, c] of Object.entries(r.candidates)) {
      rows.push([`(${r.workload}) ${r.title}`, r.host, name, `ns/${r.unit}`,
        `${fmtValue(c.median, r.metric)} [${fmtValue(c.min, r.metric)}..${fmtValue(c.max, r.metric)}]`,
        c.ratio === null ? '?' : fmtRatio(c.ratio), `${r.rounds} after ${r.warmup}`]);
    }
  }
  console.log(table(rows, ['workload', 'engine', 'candidate', 'unit', 'median [min..max]', 'ratio', 'rounds'], 4));
  console.log(`  <engine>-lowered: the gencoro plugin with target ES5 (one LoweredCoroutine per call); <engine>-tsgen: TypeScript's ES5 __generator output; one engine process, both candidates round-robin`);
  console.log('');
  for (const r of results) {
    for (const [name, c] of Object.entries(r.candidates)) {
      if (name === r.baseline || c.ratio === null) continue;
      console.log(`(${r.workload}) ${name}: ${describeRatio(c.ratio, r.metric, r.baseline)}` + goalText(r, name, r.engine));
    }
  }
}

await main();
