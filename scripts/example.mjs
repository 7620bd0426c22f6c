// The example project (examples/crawler), as a user builds it: `tspc` with the
// gencoro plugin. Runs the lowered build on Node, the same program unlowered
// (plain tsc, native generators) on Node, and the lowered ES5 build made one
// file by the package's own `gencoro-es5` (bin/gencoro-es5.cjs) on duk and
// mujs; prints the program's output once and whether every run printed exactly
// the same; then times the lowered build against the unlowered one in this
// process (scripts/example-timing.mjs) and prints both times and their ratio.
// Exit status: 0 when every run matched.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEngine, root } from './es5.mjs';
import { timeLoweredVsUnlowered } from './example-timing.mjs';

const project = join(root, 'examples/crawler');
const out = join(root, '.tmp/example');
const node = process.execPath;

function compile(tool, config) {
  const bin = tool === 'tspc' ? 'node_modules/ts-patch/bin/tspc.js' : 'node_modules/typescript/bin/tsc';
  execFileSync(node, [join(root, bin), '-p', join(project, config)], { cwd: root, stdio: 'inherit' });
}

function run(command, file) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  try {
    return execFileSync(command, [file], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  } catch (e) {
    return String(e.stdout ?? '') + '[failed: ' + String(e.message).split('\n')[0] + ']';
  }
}

compile('tspc', 'tsconfig.json');
compile('tsc', 'tsconfig.plain.json');
compile('tspc', 'tsconfig.es5.json');
const lowered = readFileSync(join(out, 'node/main.js'), 'utf8');
if (/function\s*\*/.test(lowered) || !/StateMachine\(|\.begin\(step/.test(lowered)) {
  console.log('examples/crawler was not lowered by the plugin');
  process.exit(1);
}

// One ES5 file, the runtime (global `gencoro`) and the program, made as a user makes it.
const bundle = join(out, 'bundle/crawler.js'); // = .tmp/example/bundle/crawler.js below
execFileSync(node, ['bin/gencoro-es5.cjs', '.tmp/example/es5/main.js', '-o', '.tmp/example/bundle/crawler.js'], { cwd: root, stdio: 'inherit' });

const reference = run(node, join(out, 'node/main.js'));
console.log('examples/crawler, built with tspc and the gencoro plugin, on Node:\n');
process.stdout.write(reference);
console.log('');
const runs = [['unlowered (native generators) on Node', run(node, join(out, 'plain/main.js'))]];
for (const engine of ['duk', 'mujs']) {
  const path = findEngine(engine);
  if (path === null) console.log('- ' + engine + ': not installed');
  else runs.push(['lowered ES5, one file (' + Math.round(readFileSync(bundle).length / 1024) + ' KB), on ' + engine, run(path, bundle)]);
}
let allSame = true;
for (const [what, output] of runs) {
  const same = output === reference;
  allSame &&= same;
  console.log('- ' + what + ': ' + (same ? 'same output' : 'DIFFERENT output:\n' + output));
}

// Lowered against unlowered, in this process: both builds of the same program share one runtime.
const timing = timeLoweredVsUnlowered(join(out, 'node/main.js'), join(out, 'plain/main.js'));
const timedRuns = timing.runsPerBatch * timing.rounds;
console.log('');
console.log('Time, measured just now in this Node process: one run is the whole crawler program (its module');
console.log('evaluated, every coroutine run to the end on a fresh virtual-clock IOLoop, so sleeps and timeouts');
console.log('cost no wall time; output discarded); ' + timedRuns + ' runs of each build in ' + timing.rounds +
  ' alternating batches, median batch:');
console.log('- lowered (tspc + plugin, state machines): ' + timing.lowered.toFixed(4) + ' ms per run');
console.log('- unlowered (plain tsc, native generators): ' + timing.unlowered.toFixed(4) + ' ms per run');
const ratio = timing.lowered / timing.unlowered;
console.log('- lowered / unlowered: ' + ratio.toFixed(2) + ' (the lowered build ' +
  (ratio <= 1 ? 'is ' + (1 / ratio).toFixed(2) + 'x as fast' : 'takes ' + ratio.toFixed(2) + 'x as long') + ')');
console.log('');
if (timing.lines.lowered !== timing.lines.unlowered) {
  console.log('The timed runs printed ' + timing.lines.lowered + ' and ' + timing.lines.unlowered + ' lines: DIFFERENT');
  allSame = false;
}
if (!allSame) process.exit(1);
