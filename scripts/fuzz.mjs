// Long differential fuzz runs of the compiler plugin (see test/fuzz/README.md).
//
//   npm run fuzz -- --runs 100000 [--seed N] [--path P] [--lowering NAME] [--target es5]
//                   [--workers K] [--no-arguments] [--quiet]
//
// --lowering: plugin (default: dist/transformer's createTransformer()), identity,
//             swap-plus or drop-finally (deliberately wrong), or a module path.
// --workers:  K child processes, each running runs/K programs with seed+i.
// --no-arguments: generate no `arguments` reads (for --lowering identity --target es5:
//             TypeScript's own ES5 generator transform reads the wrong `arguments`).
// Prints the seed first, progress every few seconds, and on failure the
// smallest failing program, both outputs and the replay command; exits 1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';

const USAGE = 'usage: npm run fuzz -- --runs N [--seed N] [--path P] [--lowering NAME] [--target es5] [--workers K] ' +
  '[--no-arguments] [--quiet]';

function parseArgs(argv) {
  const opts = { runs: 10000, seed: undefined, path: undefined, lowering: 'plugin', target: undefined, workers: 1,
    quiet: false, worker: false, noArguments: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--runs': opts.runs = int(value(), arg); break;
      case '--seed': opts.seed = int(value(), arg); break;
      case '--path': opts.path = value(); break;
      case '--lowering': opts.lowering = value(); break;
      case '--target': opts.target = value(); break;
      case '--workers': opts.workers = int(value(), arg); break;
      case '--quiet': opts.quiet = true; break;
      case '--no-arguments': opts.noArguments = true; break;
      case '--worker': opts.worker = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: fail(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (opts.target !== undefined && opts.target !== 'es5' && opts.target !== 'es2020') fail('--target is es5 or es2020');
  if (opts.path !== undefined && opts.seed === undefined) fail('--path needs the --seed it was printed with');
  return opts;
}

function int(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n)) fail(`${name} must be an integer, got ${text}`);
  return n;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff);

if (opts.workers > 1 && opts.path === undefined) {
  runWorkers();
} else {
  runHere(seed, opts.runs, '');
}

function runHere(seed, runs, tag) {
  const harness = tsxRequire('../test/fuzz/harness.ts', import.meta.url);
  const ts = tsxRequire('typescript', import.meta.url);
  const target = opts.target === 'es5' ? ts.ScriptTarget.ES5 : opts.target === 'es2020' ? ts.ScriptTarget.ES2020 : undefined;
  const lowering = harness.loweringByName(opts.lowering, { target });
  console.log(`${tag}fuzz: ${runs} programs, lowering "${lowering.name}", seed ${seed}` +
    (opts.path === undefined ? '' : `, replaying path ${opts.path}`));
  const started = Date.now();
  let last = started;
  const result = harness.fuzz({
    runs, seed, path: opts.path, lowering, program: { noArguments: opts.noArguments },
    onCase: (n) => {
      const now = Date.now();
      if (opts.quiet || now - last < 10000) return;
      last = now;
      const rate = n / ((now - started) / 1000);
      const left = (runs - n) / rate;
      console.log(`${tag}  ${n}/${runs} programs, ${rate.toFixed(0)}/s, about ${formatTime(left)} left (seed ${seed})`);
    },
  });
  const s = result.stats;
  console.log(`${tag}${s.cases} programs in ${formatTime((Date.now() - started) / 1000)}: ${s.ok} returned, ${s.threw} threw, ` +
    `${s.stepLimit} hit the step limit, ${s.typescriptFailed} not compiled by TypeScript itself; ${(s.traceEntries / Math.max(1, s.cases)).toFixed(1)} trace entries per program`);
  if (result.failed) {
    console.log('\n' + result.report);
    process.exitCode = 1;
  } else {
    console.log(`${tag}${result.report}`);
  }
}

function runWorkers() {
  const per = Math.ceil(opts.runs / opts.workers);
  const script = fileURLToPath(import.meta.url);
  const children = [];
  let failed = false;
  let running = opts.workers;
  console.log(`fuzz: ${opts.workers} workers x ${per} programs, seeds ${seed}..${seed + opts.workers - 1}`);
  for (let i = 0; i < opts.workers; i++) {
    const args = [script, '--worker', '--runs', String(per), '--seed', String(seed + i), '--lowering', opts.lowering];
    if (opts.target !== undefined) args.push('--target', opts.target);
    if (opts.quiet) args.push('--quiet');
    if (opts.noArguments) args.push('--no-arguments');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        console.log(`[w${i}] ${buffer.slice(0, nl)}`);
        buffer = buffer.slice(nl + 1);
      }
    });
    child.on('exit', (code) => {
      if (buffer !== '') console.log(`[w${i}] ${buffer}`);
      running--;
      if (code !== 0 && !failed) {
        failed = true;
        process.exitCode = 1;
        // One counterexample is enough: stop the other workers (only the ones started here).
        for (const other of children) if (other !== child && other.exitCode === null) other.kill();
      }
      if (running === 0) console.log(failed ? 'fuzz: FAILED (see the report above)' : 'fuzz: all workers passed');
    });
  }
}

function formatTime(seconds) {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 90 ? `${m} min ${Math.round(seconds - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
