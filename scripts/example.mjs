// The example project (examples/crawler), as a user builds it: `tspc` with the
// gencoro plugin. Runs the lowered build on Node, the same program unlowered
// (plain tsc, native generators) on Node, and the lowered ES5 build appended
// to dist/gencoro.es5.js as one file on duk and mujs; prints the program's
// output once and whether every run printed exactly the same.
// Exit status: 0 when every run matched.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEngine, root } from './es5.mjs';
import es5Bundle from './es5-bundle.cjs';

const { bundleCommonJs } = es5Bundle;

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

// One ES5 file: the runtime (global `gencoro`) and the program (scripts/es5-bundle.cjs).
mkdirSync(join(out, 'bundle'), { recursive: true });
const bundle = join(out, 'bundle/crawler.js');
writeFileSync(bundle, bundleCommonJs(readFileSync(join(out, 'es5/main.js'), 'utf8')));

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
if (!allSame) process.exit(1);
