/**
 * The README's main job: examples/crawler built with tspc and the plugin runs
 * on Node, prints the same as the unlowered build, and as one pre-lowered ES5
 * file prints the same on duk and mujs; then the lowered and unlowered times
 * measured in that run are printed (their values are not checked).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

test('the example project built with the plugin prints the same lowered, unlowered, and as ES5 on duk and mujs', (t) => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const output = execFileSync(process.execPath, [join(root, 'scripts/example.mjs')], { cwd: root, env, encoding: 'utf8' });
  t.regex(output, /5 pages arrived in time/);
  t.regex(output, /unlowered \(native generators\) on Node: same output/);
  const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  for (const engine of ['duk', 'mujs']) {
    if (inCI || !output.includes(engine + ': not installed')) t.regex(output, new RegExp('on ' + engine + ': same output'));
  }
  t.regex(output, /^Time, measured just now in this Node process: one run is the whole crawler program/m);
  t.regex(output, /^- lowered \(tspc \+ plugin, state machines\): \d+\.\d+ ms per run$/m);
  t.regex(output, /^- unlowered \(plain tsc, native generators\): \d+\.\d+ ms per run$/m);
  t.regex(output, /^- lowered \/ unlowered: \d+\.\d+ \(the lowered build (is|takes) \d+\.\d+x as (fast|long)\)$/m);
});
