// Lints the package as it would be published: `publint` and `@arethetypeswrong/cli` (attw) on
// the tarball of `npm pack`, and fails unless both report nothing at all (publint counts
// suggestions too). Run after `npm run build`:
//   node scripts/check-package.mjs [gencoro-x.y.z.tgz]   (packs into .tmp/pack/ when no tarball is given)
// test/package.test.ts runs it on the tarball it installs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

let tarball = process.argv[2];
if (tarball === undefined) {
  const dest = join(root, '.tmp/pack');
  mkdirSync(dest, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  tarball = join(dest, packed[0].filename);
}
tarball = resolve(tarball);

const tools = [
  // publint prints "All good!" only when it has no error, warning or suggestion to report.
  { name: 'publint', bin: 'node_modules/publint/src/cli.js', args: ['run', '--level', 'suggestion', '--strict', tarball], clean: /^All good!$/m },
  // attw exits non-zero on any problem under node10, node16 (CJS and ESM) and bundler.
  { name: 'attw', bin: 'node_modules/@arethetypeswrong/cli/dist/index.js', args: [tarball], clean: /No problems found/ },
];
let failed = false;
for (const tool of tools) {
  const r = spawnSync(process.execPath, [join(root, tool.bin), ...tool.args], { cwd: root, env, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0 || !tool.clean.test(r.stdout)) {
    console.error(`check-package: ${tool.name} reported problems (exit ${r.status})`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log('check-package: publint and attw report nothing for ' + tarball);
