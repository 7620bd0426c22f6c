// `npm run demo` (after `npm run build`): compiles fixtures/es5/program.ts to an
// ES5 script with plain TypeScript, appends it to dist/gencoro.es5.js, runs the
// one file on Node, duk and mujs (where installed), prints each output and says
// whether every output matched fixtures/es5/program.expected.txt.
// Exit status: 0 when every installed engine matched, 1 otherwise.
// The bundle is kept as .tmp/es5/program.js, to run by hand: `duk .tmp/es5/program.js`.
import { join, relative } from 'node:path';
import {
  compileProgram, debianPackage, engines, expectedPath, findEngine, lines, makeBundle, readExpected, root,
  runOnEngine, writeBundle,
} from './es5.mjs';

const show = (file) => relative(root, file);

const { js, diagnostics, typescript } = compileProgram();
if (diagnostics !== '') {
  process.stdout.write(diagnostics);
  console.log('The program does not type-check (TypeScript ' + typescript + ').');
  process.exit(1);
}
const bundleText = makeBundle(js);
const bundle = writeBundle(join(root, '.tmp/es5'), bundleText);
console.log('Compiled fixtures/es5/program.ts with TypeScript ' + typescript + ' (target ES5, no modules) and');
console.log('appended it to dist/gencoro.es5.js: ' + show(bundle) + ' (' + Math.round(Buffer.byteLength(bundleText) / 1024) + ' KB)');

const expected = lines(readExpected());
const matched = [];
const mismatched = [];
const missing = [];

for (const engine of engines) {
  const path = findEngine(engine);
  console.log('');
  if (path === null) {
    console.log('---- ' + engine + ': not installed (Debian package ' + debianPackage[engine] + ')');
    missing.push(engine);
    continue;
  }
  const run = await runOnEngine(engine, bundle, path);
  console.log('---- ' + engine + ' (' + path + ')');
  const output = lines(run.stdout);
  for (const line of output) console.log(line);
  if (run.stderr !== '') {
    console.log('---- ' + engine + ' stderr:');
    process.stdout.write(run.stderr.endsWith('\n') ? run.stderr : run.stderr + '\n');
  }
  const problems = [];
  if (run.error) problems.push(run.error);
  if (run.status !== 0) problems.push('exit status ' + run.status + (run.signal ? ' (' + run.signal + ')' : ''));
  if (run.stderr !== '') problems.push('wrote to stderr');
  const diff = firstDifference(output, expected);
  if (diff !== null) problems.push(diff);
  if (problems.length === 0) {
    console.log('---- ' + engine + ': matches the expected output (' + output.length + ' lines)');
    matched.push(engine);
  } else {
    console.log('---- ' + engine + ': DOES NOT MATCH: ' + problems.join('; '));
    mismatched.push(engine);
  }
}

console.log('');
const notInstalled = missing.length === 0 ? '' : '; not installed: ' + missing.join(', ');
if (mismatched.length === 0) {
  console.log('All outputs matched ' + show(expectedPath) + ' (' + matched.join(', ') + notInstalled + ').');
} else {
  console.log('Outputs did NOT all match ' + show(expectedPath) + ': ' + mismatched.join(', ') + ' differ' +
    (matched.length > 0 ? '; matched: ' + matched.join(', ') : '') + notInstalled + '.');
  process.exit(1);
}

/** Where `actual` first departs from `expected`, or null when they are the same lines. */
function firstDifference(actual, expected) {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      const quote = (s) => (s === undefined ? '(no line)' : JSON.stringify(s));
      return 'line ' + (i + 1) + ' is ' + quote(actual[i]) + ', expected ' + quote(expected[i]);
    }
  }
  return null;
}
