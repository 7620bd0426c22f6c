/**
 * Every fixture in fixtures/lowering runs four ways and must print exactly its
 * .expected.txt each time: unlowered on Node (plain tsc, native generators),
 * lowered on Node (tspc with the plugin, as a user builds), and lowered at
 * target ES5 on duk and on mujs. The lowered output must contain no generator
 * for a marked function, and the plugin may report only the diagnostics a
 * fixture declares.
 *
 * Directives in a fixture's leading comments:
 *   // @engines: node              where it can run (default: node, duk, mujs)
 *   // @expect-diagnostic: 91100   a diagnostic the plugin must report for it
 *   // @generators: 1              generators that must stay in the output (unmarked ones)
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { isLoweredOutput } from './helpers/compile.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleCommonJs } = require('../scripts/es5-bundle.cjs') as { bundleCommonJs(js: string): string };

const root = join(__dirname, '..');
const fixturesDir = join(root, 'fixtures/lowering');
const local = join(root, 'fixtures/.local');
const bundles = join(root, '.tmp/fixtures-es5');
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

interface Fixture {
  name: string;
  source: string;
  expected: string;
  engines: string[];
  diagnostics: number[];
  generators: number;
}

function directive(source: string, name: string): string[] {
  const re = new RegExp('^//\\s*@' + name + ':\\s*(.+)$', 'gm');
  return [...source.matchAll(re)].map((m) => m[1].trim());
}

const fixtures: Fixture[] = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.ts') && existsSync(join(fixturesDir, f.slice(0, -3) + '.expected.txt')))
  .sort()
  .map((f) => {
    const name = f.slice(0, -3);
    const source = readFileSync(join(fixturesDir, f), 'utf8');
    const engines = directive(source, 'engines');
    return {
      name, source,
      expected: readFileSync(join(fixturesDir, name + '.expected.txt'), 'utf8').replace(/\r\n?/g, '\n'),
      engines: engines.length > 0 ? engines[0].split(/[\s,]+/).filter(Boolean) : ['node', 'duk', 'mujs'],
      diagnostics: directive(source, 'expect-diagnostic').map(Number),
      generators: Number(directive(source, 'generators')[0] ?? 0),
    };
  });

/** Builds one tsconfig with tsc or tspc; returns the diagnostics it printed, by fixture name. */
function build(tool: 'tsc' | 'tspc', config: string): Map<string, string[]> {
  const bin = tool === 'tsc' ? 'node_modules/typescript/bin/tsc' : 'node_modules/ts-patch/bin/tspc.js';
  let output = '';
  try {
    output = execFileSync(process.execPath, [join(root, bin), '-p', join(fixturesDir, config)], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    output = String((e as { stdout?: string }).stdout ?? '');
  }
  const byFile = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const m = /^fixtures\/lowering\/([\w.-]+)\.ts\(\d+,\d+\): error (TS\d+): /.exec(line);
    if (m === null) continue;
    const list = byFile.get(m[1]) ?? [];
    list.push(m[2] + ' ' + line);
    byFile.set(m[1], list);
  }
  return byFile;
}

let plainDiagnostics = new Map<string, string[]>();
let loweredDiagnostics = new Map<string, string[]>();
let es5Diagnostics = new Map<string, string[]>();

test.before(() => {
  plainDiagnostics = build('tsc', 'tsconfig.plain.json');
  loweredDiagnostics = build('tspc', 'tsconfig.lowered.json');
  es5Diagnostics = build('tspc', 'tsconfig.es5.json');
  mkdirSync(bundles, { recursive: true });
});

// At most a few child processes at once: ava starts every test together.
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  while (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return limited(() => new Promise((resolve) => {
    execFile(command, args, { cwd: root, env, timeout: 60_000, maxBuffer: 16 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ stdout: stdout.replace(/\r\n?/g, '\n'), stderr, code: error ? (typeof error.code === 'number' ? error.code : null) : 0 });
    });
  }));
}

/** The fixture's ES5 build as one file with the runtime (scripts/es5-bundle.cjs). */
function es5Bundle(name: string): string {
  const file = join(bundles, name + '.js');
  writeFileSync(file, bundleCommonJs(readFileSync(join(local, 'es5', name + '.js'), 'utf8')));
  return file;
}

function hasEngine(engine: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v ' + engine], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Generator functions and methods left in emitted JavaScript. */
function countGenerators(js: string): number {
  const file = ts.createSourceFile('out.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) count++;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return count;
}

const engines = { duk: hasEngine('duk'), mujs: hasEngine('mujs') };

for (const fx of fixtures) {
  test(`${fx.name} › unlowered on Node prints the expected output`, async (t) => {
    t.deepEqual(plainDiagnostics.get(fx.name) ?? [], [], 'the fixture type-checks');
    const r = await run(process.execPath, [join(local, 'plain', fx.name + '.js')]);
    t.is(r.stdout, fx.expected, r.stderr);
  });

  test(`${fx.name} › the plugin reports exactly the declared diagnostics`, (t) => {
    const codes = (loweredDiagnostics.get(fx.name) ?? []).map((d) => Number(d.slice(2, d.indexOf(' '))));
    t.deepEqual(codes.sort(), [...fx.diagnostics].sort(), (loweredDiagnostics.get(fx.name) ?? []).join('\n'));
  });

  test(`${fx.name} › lowered on Node prints the expected output, with no generator left for a marked function`, async (t) => {
    const js = readFileSync(join(local, 'node', fx.name + '.js'), 'utf8');
    if (fx.diagnostics.length === 0) {
      t.is(countGenerators(js), fx.generators, 'generators left in the lowered output');
      t.true(isLoweredOutput(js), 'the output is lowered');
    }
    const r = await run(process.execPath, [join(local, 'node', fx.name + '.js')]);
    t.is(r.stdout, fx.expected, r.stderr);
  });

  for (const engine of ['duk', 'mujs'] as const) {
    const title = `${fx.name} › lowered ES5 on ${engine} prints the expected output`;
    if (!fx.engines.includes(engine)) continue;
    if (!engines[engine]) {
      if (inCI) test(title, (t) => t.fail(`${engine} is not installed (Debian package ${engine === 'duk' ? 'duktape' : 'mujs'})`));
      else test.skip(`${title} (${engine} is not installed)`, () => {});
      continue;
    }
    test(title, async (t) => {
      t.deepEqual((es5Diagnostics.get(fx.name) ?? []).filter((d) => !d.startsWith('TS91')), [], 'ES5 build');
      const r = await run(engine, [es5Bundle(fx.name)]);
      t.is(r.stdout, fx.expected, r.stderr);
    });
  }
}

test('there are at least 80 fixtures', (t) => {
  t.true(fixtures.length >= 80, `${fixtures.length} fixtures`);
});
