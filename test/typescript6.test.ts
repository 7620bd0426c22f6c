/**
 * The plugin on TypeScript 6.0: every fixture compiled by TypeScript 6's own
 * API with the plugin (checker-based detection, as ts-patch would run it),
 * at ES2020 for Node and at ES5 for duk, must print its expected output.
 * ts-patch 3.3 does not patch TypeScript 6, so this drives the plugin entry
 * directly (`before: [plugin(program, config, extras)]`).
 *
 * TypeScript 6 is installed beside the project by `.ci/run`
 * (`npm install --prefix .tmp/ts6 typescript@~6.0.3`); without it the test
 * fails in CI and is skipped elsewhere.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { isLoweredOutput } from './helpers/compile.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleCommonJs } = require('../scripts/es5-bundle.cjs') as { bundleCommonJs(js: string): string };

const root = join(__dirname, '..');
const ts6Path = join(root, '.tmp/ts6/node_modules/typescript');
const fixturesDir = join(root, 'fixtures/lowering');
const out = join(root, '.tmp/ts6-out');
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

function engines(source: string): string[] {
  const m = /^\/\/\s*@engines:\s*(.+)$/m.exec(source.split('\n', 1)[0]);
  return m ? m[1].split(/[\s,]+/).filter(Boolean) : ['node', 'duk', 'mujs'];
}

/** Compiles every fixture with TS 6 and the plugin; returns name -> JavaScript, plus the diagnostics. */
function compileAll(ts: typeof TS, target: TS.ScriptTarget, names: string[]): { js: Map<string, string>; problems: string[] } {
  const plugin = require(join(root, 'dist/transformer/index.js')).default;
  const options: TS.CompilerOptions = {
    target, module: ts.ModuleKind.CommonJS, lib: ['lib.es2020.d.ts'], types: [], strict: true, skipLibCheck: true,
    downlevelIteration: true, paths: { gencoro: [root] }, baseUrl: fixturesDir,
    ...(target === ts.ScriptTarget.ES5 ? { ignoreDeprecations: '6.0' } : {}),
  };
  const program = ts.createProgram(names.map((n) => join(fixturesDir, n + '.ts')), options);
  const problems: string[] = [];
  const extras = { ts, addDiagnostic: (d: TS.Diagnostic) => problems.push(ts.flattenDiagnosticMessageText(d.messageText, '\n')) };
  const js = new Map<string, string>();
  for (const name of names) {
    const file = program.getSourceFile(join(fixturesDir, name + '.ts'));
    program.emit(file, (fileName, text) => { if (fileName.endsWith('.js')) js.set(name, text); }, undefined, false,
      { before: [plugin(program, {}, extras)] });
  }
  return { js, problems };
}

if (!existsSync(ts6Path)) {
  if (inCI) test('the plugin works on TypeScript 6.0', (t) => t.fail('TypeScript 6 is not installed in .tmp/ts6 (see .ci/run)'));
  else test.skip('the plugin works on TypeScript 6.0 (TypeScript 6 is not installed in .tmp/ts6)', () => {});
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require(ts6Path) as typeof TS;
  const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.ts') && existsSync(join(fixturesDir, f.slice(0, -3) + '.expected.txt')))
    .map((f) => f.slice(0, -3)).sort();

  test(`TypeScript ${ts.version}: every fixture lowered by the plugin prints its expected output on Node`, (t) => {
    const { js, problems } = compileAll(ts, ts.ScriptTarget.ES2020, fixtures);
    t.deepEqual(problems, []);
    mkdirSync(join(out, 'node'), { recursive: true });
    const failures: string[] = [];
    for (const name of fixtures) {
      const code = js.get(name)!;
      if (!isLoweredOutput(code)) failures.push(name + ': not lowered');
      const file = join(out, 'node', name + '.js');
      writeFileSync(file, code);
      const env = { ...process.env };
      delete env.NODE_OPTIONS;
      let stdout = '';
      try {
        stdout = execFileSync(process.execPath, [file], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
      } catch (e) {
        stdout = String((e as { stdout?: string }).stdout ?? '') + '\n[exit] ' + String((e as Error).message).split('\n')[0];
      }
      if (stdout !== readFileSync(join(fixturesDir, name + '.expected.txt'), 'utf8')) failures.push(name);
    }
    t.deepEqual(failures, []);
  });

  test(`TypeScript ${ts.version}: fixtures lowered at ES5 by the plugin print their expected output on duk`, (t) => {
    let hasDuk = true;
    try { execFileSync('sh', ['-c', 'command -v duk'], { stdio: 'ignore' }); } catch { hasDuk = false; }
    if (!hasDuk) {
      if (inCI) t.fail('duk is not installed');
      else t.pass('duk is not installed here');
      return;
    }
    const names = fixtures.filter((n) => engines(readFileSync(join(fixturesDir, n + '.ts'), 'utf8')).includes('duk'));
    const { js } = compileAll(ts, ts.ScriptTarget.ES5, names);
    mkdirSync(join(out, 'es5'), { recursive: true });
    const failures: string[] = [];
    for (const name of names) {
      const file = join(out, 'es5', name + '.js');
      writeFileSync(file, bundleCommonJs(js.get(name)!));
      let stdout = '';
      try {
        stdout = execFileSync('duk', [file], { encoding: 'utf8', timeout: 30_000 });
      } catch (e) {
        stdout = String((e as { stdout?: string }).stdout ?? '');
      }
      if (stdout !== readFileSync(join(fixturesDir, name + '.expected.txt'), 'utf8')) failures.push(name);
    }
    t.deepEqual(failures, []);
  });
}
