/**
 * Hand-written programs for what the fuzzer's grammar does not generate
 * (classes, decorators, private fields, super, unmarked generators, tagged
 * templates, symbols): each prints the same unlowered and lowered. They live
 * in test/differential/*.ts.txt (not compiled by the test tsconfig: they are
 * inputs, compiled here with and without the plugin).
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { isLoweredOutput, runCommonJs } from './helpers/compile.js';

const root = join(__dirname, '..');
const dir = join(__dirname, 'differential');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require(join(root, 'dist/transformer/index.js'));

function compile(source: string, lowered: boolean): { js: string; codes: number[] } {
  const codes: number[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    transformers: lowered ? { before: [createTransformer(undefined, undefined, (d: ts.Diagnostic) => codes.push(d.code))] } : undefined,
  }).outputText;
  return { js, codes };
}

function run(js: string): string {
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(args.map(String).join(' ')) };
  try {
    runCommonJs(js, 'input.js', { console });
  } catch (e) {
    lines.push('threw ' + String(e));
  }
  return lines.join('\n');
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts.txt')).sort()) {
  test(`${file.replace('.ts.txt', '')}: lowered prints what unlowered prints`, (t) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const lowered = compile(source, true);
    t.deepEqual(lowered.codes, []);
    t.true(isLoweredOutput(lowered.js), 'the output is lowered');
    const expected = run(compile(source, false).js);
    t.true(expected.length > 0 && !expected.startsWith('threw'), expected);
    t.is(run(lowered.js), expected);
  });
}
