// The benchmark orchestrator: `npm run bench` (which builds first), or
//   node bench/run.mjs [workload ids...] [--rounds=N] [--warmup=N] [--candidates=runner,async]
//
// It runs each workload in its own process (`node --expose-gc <file>`), one
// after the other, reads the JSON line each prints on stdout, checks that
// every candidate of a workload computed the same checksum, prints one table
// with ns (or bytes) per operation and each candidate's ratio to async/await,
// and writes everything to bench/results.json. See bench/README.md.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Processes to run, in order. `file` runs as `node --expose-gc file`; `command` is a full argv. */
const WORKLOADS = [
  { id: 'a', file: 'workloads/a-done-yields.mjs' },
  { id: 'b', file: 'workloads/b-child-calls.mjs' },
  { id: 'c', file: 'workloads/c-multi.mjs' },
  { id: 'd', file: 'workloads/d-suspended-memory.mjs' },
  { id: 'e', file: 'workloads/e-round-trips.mjs' },
];

/** Column order and descriptions. `async` is the baseline every ratio is taken against. */
const CANDIDATES = [
  { id: 'runner', label: 'runner', about: 'coroutine(function* ...) driven by the runtime (native generators)' },
  { id: 'async', label: 'async', about: 'native async/await (the baseline: ratio 1x)' },
  { id: 'sync', label: 'sync', about: 'a plain synchronous loop doing the same arithmetic (the floor)' },
];
const BASELINE = 'async';

/** The goals, checked and reported (never tuned for here). */
const GOALS = [
  { workload: 'a', candidate: 'runner', below: 1, text: 'runner beats async/await' },
  { workload: 'b', candidate: 'runner', below: 1, text: 'runner beats async/await' },
  { workload: 'd', candidate: 'runner', atMost: 1.5, text: 'runner within 1.5x of async bytes' },
];

/** A workload process taking longer than this is killed and reported as a failure. */
const PROCESS_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const out = { ids: [], env: {} };
  for (const a of argv) {
    const m = /^--(rounds|warmup|candidates)=(.+)$/.exec(a);
    if (m) out.env['BENCH_' + m[1].toUpperCase()] = m[2];
    else if (/^[a-z0-9_-]+$/i.test(a)) out.ids.push(a);
    else die(`unknown argument ${a}\nusage: node bench/run.mjs [ids...] [--rounds=N] [--warmup=N] [--candidates=a,b]`);
  }
  return out;
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
  };
}

/** Runs one process; resolves to its parsed JSON line. */
function runProcess(entry) {
  const argv = entry.command ? entry.command.slice() : [process.execPath, '--expose-gc', join(here, entry.file)];
  const shown = entry.command ? argv.join(' ') : `node --expose-gc ${relative(root, argv[2])}`;
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

/** Merges the results of the processes of one workload id; fails loudly on any checksum difference. */
function merge(id, parts) {
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
  const base = merged.candidates[BASELINE];
  for (const c of Object.values(merged.candidates)) c.ratio = base ? c.median / base.median : null;
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
function describeRatio(r, metric) {
  const what = metric === 'bytes' ? 'bytes' : 'time';
  const better = metric === 'bytes' ? 'smaller' : 'faster';
  const worse = metric === 'bytes' ? 'larger' : 'slower';
  if (r === 1) return `1x of ${BASELINE} ${what} = the same`;
  return `${r.toFixed(2)}x of ${BASELINE} ${what} = ` +
    (r < 1 ? `${(1 / r).toFixed(1)}x ${better}` : `${r.toFixed(1)}x ${worse}`);
}

function pad(s, n, right = false) {
  s = String(s);
  return right ? s.padStart(n) : s.padEnd(n);
}

function table(rows, columns) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((s, i) => pad(s, widths[i], i >= 2)).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const known = new Set(WORKLOADS.map((w) => w.id));
  for (const id of args.ids) if (!known.has(id)) die(`unknown workload ${id} (known: ${[...known].join(', ')})`);
  const selected = WORKLOADS.filter((w) => args.ids.length === 0 || args.ids.includes(w.id));
  const info = machine();
  const started = Date.now();

  console.log(`gencoro benchmarks on ${info.cpu}, ${info.cores} cores, node ${info.node} (V8 ${info.v8}), ${info.platform}`);
  const byId = new Map();
  for (const entry of selected) {
    const t0 = Date.now();
    let part;
    try {
      part = await runProcess(entry);
    } catch (e) {
      die(e.message);
    }
    if (part.workload !== entry.id) die(`${entry.file || entry.command.join(' ')} reported workload ${part.workload}, expected ${entry.id}`);
    if (!byId.has(entry.id)) byId.set(entry.id, []);
    byId.get(entry.id).push(part);
    const unit = part.metric === 'bytes' ? 'B' : 'ns';
    const cells = Object.entries(part.candidates).map(([name, c]) =>
      `${name} ${fmtValue(c.median, part.metric)} ${unit} [${fmtValue(c.min, part.metric)}..${fmtValue(c.max, part.metric)}]`);
    console.log(`  (${part.workload}) ${part.title}: ${cells.join(', ')}  (${part.rounds} rounds, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  const results = [...byId].map(([id, parts]) => merge(id, parts));

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
  console.log(`Rounds: ${[...new Set(rounds)].join('/')} after ${[...new Set(warmups)].join('/')} warm-up, candidates interleaved round-robin, one process per workload.`);
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
      const goal = GOALS.find((g) => g.workload === r.workload && g.candidate === n);
      if (goal) {
        const met = goal.below !== undefined ? c.ratio < goal.below : c.ratio <= goal.atMost;
        c.goal = { text: goal.text, met };
        text += `   goal: ${goal.text}: ${met ? 'MET' : 'NOT MET'}`;
      }
      console.log(text);
    }
  }

  const out = join(here, 'results.json');
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine: info,
    baseline: BASELINE,
    candidates: CANDIDATES,
    options: args.env,
    elapsedSeconds: (Date.now() - started) / 1000,
    workloads: results,
  }, null, 2) + '\n');
  console.log('');
  console.log(`Machine: ${info.cpu}, ${info.cores} cores, node ${info.node}. ` +
    `Total ${((Date.now() - started) / 1000).toFixed(1)} s. Results: ${relative(root, out)}`);
}

await main();
