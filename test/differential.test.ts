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

/**
 * Programs whose ES5 output differs for TypeScript's own reasons, lowered or
 * not: its ES5 generator output loses `_super` in a class inside a generator,
 * and it makes an object literal's accessor non-enumerable when the literal
 * has a computed key. Private names (`#x`) need ES2015. The plugin declines
 * decorated class declarations in a body at ES5 (91100; see native.ts classValue).
 * TypeScript's ES5 default parameters merge a body `var` with the parameter it
 * redeclares, which ES2015 keeps apart (parameter-scopes). Its ES5 object
 * literals make `{ __proto__ }` a prototype, and its array-rest helper closes an
 * iterator whose value getter throws (objects-and-iterators), and it names neither
 * computed-key functions nor class expressions (names-through-temporaries).
 */
const es5Differs = new Set(['generators-super-tags', 'shared-step-this', 'private-names', 'decorated-classes-in-body', 'parameter-scopes',
  'objects-and-iterators', 'names-through-temporaries']);

function compile(source: string, lowered: boolean, target = ts.ScriptTarget.ES2020): { js: string; codes: number[] } {
  const codes: number[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { target, module: ts.ModuleKind.CommonJS, downlevelIteration: true },
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

  const name = file.replace('.ts.txt', '');
  if (es5Differs.has(name)) continue;
  test(`${name}: lowered at target ES5 prints what unlowered prints (ES2020, native generators)`, (t) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const lowered = compile(source, true, ts.ScriptTarget.ES5);
    t.deepEqual(lowered.codes, []);
    t.true(isLoweredOutput(lowered.js), 'the output is lowered');
    t.is(run(lowered.js), run(compile(source, false).js));
  });
}
