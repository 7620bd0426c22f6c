/**
 * What the compiler plugin reports (transformer/diagnostics.ts has the
 * table): markers on async functions (91010) and async generators (91011),
 * bad plugin options (91001, 91002), and constructs it cannot lower (91100),
 * which leave that one function unlowered and never produce wrong code
 * (SPEC, "The compiler plugin"). Without an onDiagnostic callback,
 * createTransformer throws instead of staying silent.
 */
import test from 'ava';
import plugin, { createTransformer } from 'gencoro/transformer';
import { maybeFuture } from 'gencoro';
import ts from 'typescript';
import {
  compileProgram, count, functionState, modes, parsesAsScript, positionOf, runSync, type Reported,
} from './helpers/compile.js';

type Fn = (...args: any[]) => any;

const at = (r: Reported) => ({ code: r.code, file: r.file, line: r.line, column: r.column });

for (const mode of modes) {
  const m = ' ' + mode.label;

  test('coroutine() and engine() around async functions give 91010 naming the marker, at the function,' + m, (t) => {
    const source = `import { coroutine, engine } from 'gencoro';
export const a = coroutine(async function () { return 1; });
export const b = engine(async () => { });
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map(at), [
      { code: 91010, file: 'input.ts', ...positionOf(source, 'async function') },
      { code: 91010, file: 'input.ts', ...positionOf(source, 'async () =>') },
    ]);
    t.true(r.diagnostics[0]!.message.startsWith('coroutine(...) marks an async function'), r.diagnostics[0]!.message);
    t.true(r.diagnostics[1]!.message.startsWith('engine(...) marks an async function'), r.diagnostics[1]!.message);
    t.is(r.diagnostics[0]!.text, 'async function () { return 1; }');
    t.is(r.output, mode.compile(source, { plain: true }).output, 'nothing is lowered, no import is added');
  });

  test('an async function behind a type-only wrapper (as, <T>, !, satisfies) still gives 91010,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
export const a = coroutine(<any>(async function () { return 1; }));
export const b = coroutine((async function () { return 2; }) satisfies unknown);
export const c = coroutine((async function () { return 3; })!);
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map((d) => d.code), [91010, 91010, 91010]);
  });

  test('@coroutine on an async method gives 91010 naming @coroutine, at the method,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
export class K {
  @coroutine
  async m() { return 1; }
}
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map(at), [{ code: 91010, file: 'input.ts', ...positionOf(source, '@coroutine') }]);
    t.true(r.diagnostics[0]!.message.startsWith('@coroutine marks an async function'), r.diagnostics[0]!.message);
    t.true(r.diagnostics[0]!.text!.endsWith('async m() { return 1; }'));
    t.is(count(r.output, 'require("gencoro")'), 1, 'no runtime import is added');
  });

  test('markers on async generators give 91011 naming the marker,' + m, (t) => {
    const source = `import { coroutine, engine } from 'gencoro';
export const c = coroutine(async function* () { yield 1; });
export class K {
  @engine async *n() { yield 2; }
}
/** @coroutine */
export async function* tagged() { yield 3; }
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map(at), [
      { code: 91011, file: 'input.ts', ...positionOf(source, 'async function*') },
      { code: 91011, file: 'input.ts', ...positionOf(source, '@engine') },
      { code: 91011, file: 'input.ts', ...positionOf(source, 'export async function*') },
    ]);
    t.true(r.diagnostics[0]!.message.startsWith('coroutine(...) marks an async generator'), r.diagnostics[0]!.message);
    t.true(r.diagnostics[1]!.message.startsWith('@engine marks an async generator'), r.diagnostics[1]!.message);
    t.true(r.diagnostics[2]!.message.startsWith('/** @coroutine */ marks an async generator'), r.diagnostics[2]!.message);
    t.is(r.output, mode.compile(source, { plain: true }).output);
  });

  test('an async function passed to a same-named local function gives no diagnostic,' + m, (t) => {
    const source = `function coroutine<T>(f: T): T { return f; }
export const a = coroutine(async function () { return 1; });
export const b = coroutine(async function* () { yield 1; });
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics, []);
  });

  /** A file with a lowerable coroutine, then `body` in its own coroutine `bad(a, b)`, then another lowerable one. */
  const sandwich = (body: string) => `import { coroutine, maybeFuture } from 'gencoro';
export const before = coroutine(function* (x: number) { 'tag-before'; const y: number = yield maybeFuture(x); return y + 1; });
export const bad = coroutine(function* (a: any, b: unknown) {
  'tag-bad';
  ${body}
});
export const after = coroutine(function* () { 'tag-after'; yield null; return 'after'; });
`;

  test('a yield in the argument of a dynamic import() gives 91100 at that call, leaves that function a generator, and still lowers the others,' + m, async (t) => {
    const source = sandwich(`return import((yield b) as string);`);
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map(at), [{ code: 91100, file: 'input.ts', ...positionOf(source, 'import((yield b)') }]);
    t.is(r.diagnostics[0]!.text, 'import((yield b) as string)');
    t.true(r.diagnostics[0]!.message.startsWith('gencoro cannot lower this coroutine yet: '), r.diagnostics[0]!.message);
    t.true(r.diagnostics[0]!.message.includes('import()'), 'the message names the construct');
    t.true(parsesAsScript(r.output), 'the output must be valid JavaScript');
    t.is(functionState(r.output, 'tag-bad'), 'generator');
    t.is(functionState(r.output, 'tag-before'), 'lowered');
    t.is(functionState(r.output, 'tag-after'), 'lowered');
    t.is(count(r.output, 'require("gencoro")'), 2, 'one runtime import added for the lowered ones');
    const ex = r.run() as { before: Fn; bad: Fn; after: Fn };
    t.is(runSync(() => ex.before(1)), 2);
    t.is(runSync(() => ex.after()), 'after');
    const imported = runSync(() => ex.bad(undefined, maybeFuture('gencoro'))) as Promise<{ maybeFuture: unknown }>;
    t.is((await imported).maybeFuture, maybeFuture, 'the unlowered coroutine still runs on native generators');
  });

  test('a file whose only coroutine cannot be lowered gets 91100 and no runtime import,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
export const bad = coroutine(function* (b: unknown) { return import((yield b) as string); });
`;
    const r = mode.compile(source);
    t.deepEqual(r.diagnostics.map((d) => d.code), [91100]);
    t.is(r.output, mode.compile(source, { plain: true }).output);
  });

  /**
   * Constructs that the plugin may lower or may report: either way the
   * output must be valid and mean the same (SPEC: "it never emits wrong
   * code"); when reported, it is 91100 at the construct and the function
   * stays a generator.
   */
  const loweredOrReported: Array<{ what: string; body: string; near: string; args: unknown[]; expected: unknown }> = [
    {
      what: 'a yield in an optional call a?.(yield b)',
      body: `return a?.((yield b) as number);`,
      near: 'a?.((yield b)', args: [(x: number) => x * 2, maybeFuture(4)], expected: 8,
    },
    {
      what: 'a yield in an optional call whose callee is missing',
      body: `return a?.((yield b) as number);`,
      near: 'a?.((yield b)', args: [undefined, maybeFuture(4)], expected: undefined,
    },
    {
      what: 'a yield in an optional element access',
      body: `return (a as any)?.[(yield b) as number];`,
      near: '(yield b) as number]', args: [[10, 20, 30], maybeFuture(1)], expected: 20,
    },
    {
      what: 'a yield in the key of delete on an optional chain (null object: nothing is deleted, the key is not evaluated)',
      body: `return delete (a as any)?.[(yield b) as string];`,
      near: 'delete (a as any)?.[', args: [null, maybeFuture('k')], expected: true,
    },
    {
      what: 'a yield in the key of delete on an optional chain (an object)',
      body: `const o = a as any; const r = delete o?.[(yield b) as string]; return [r, 'k' in o];`,
      near: 'delete o?.[', args: [{ k: 1 }, maybeFuture('k')], expected: [true, false],
    },
    {
      what: 'a yield in a computed method name of a class expression',
      body: `const C = class { [(yield b) as string]() { return 1; } };
  return Object.getOwnPropertyNames(C.prototype).filter((n) => n !== 'constructor');`,
      near: '(yield b) as string]', args: [undefined, maybeFuture('hello')], expected: ['hello'],
    },
    {
      what: 'a yield in a computed field name of a class expression',
      body: `const C = class { static [(yield b) as string] = 1; };
  return Object.keys(C);`,
      near: '(yield b) as string]', args: [undefined, maybeFuture('field')], expected: ['field'],
    },
    {
      what: 'a yield in a computed method name of a class declaration',
      body: `class C { [(yield b) as string]() { return 1; } }
  return Object.getOwnPropertyNames(C.prototype).filter((n) => n !== 'constructor');`,
      near: '(yield b) as string]', args: [undefined, maybeFuture('decl')], expected: ['decl'],
    },
    {
      what: 'a yield in a computed method name of an object literal',
      body: `const o = { [(yield b) as string]() { return 1; } };
  return Object.keys(o);`,
      near: '(yield b) as string]', args: [undefined, maybeFuture('obj')], expected: ['obj'],
    },
    {
      what: 'a yield in a computed getter name of an object literal',
      body: `const o = { get [(yield b) as string]() { return 1; } };
  return Object.keys(o);`,
      near: '(yield b) as string]', args: [undefined, maybeFuture('getter')], expected: ['getter'],
    },
    {
      what: 'a yield in the extends clause of a class expression',
      body: `const C = class extends ((yield b) as any) {};
  return new C() instanceof Error;`,
      near: '((yield b) as any)', args: [undefined, maybeFuture(Error)], expected: true,
    },
  ];

  for (const c of loweredOrReported) {
    test(c.what + ' is either lowered correctly or reported as 91100 there, never emitted as wrong code,' + m, (t) => {
      const source = sandwich(c.body);
      const r = mode.compile(source);
      t.true(parsesAsScript(r.output), 'the output must be valid JavaScript');
      t.true(r.diagnostics.length <= 1, JSON.stringify(r.diagnostics));
      const d = r.diagnostics[0];
      if (d !== undefined) {
        t.is(d.code, 91100);
        t.is(d.file, 'input.ts');
        const near = positionOf(source, c.near);
        t.is(d.line, near.line);
        t.true((d.text ?? '').includes('(yield b)'), 'the diagnostic spans the construct: ' + d.text);
        t.is(functionState(r.output, 'tag-bad'), 'generator', 'a reported function is left unlowered');
      } else {
        t.is(functionState(r.output, 'tag-bad'), 'lowered', 'an unreported function is lowered');
      }
      t.is(functionState(r.output, 'tag-before'), 'lowered');
      t.is(functionState(r.output, 'tag-after'), 'lowered');
      const ex = r.run() as { before: Fn; bad: Fn; after: Fn };
      t.is(runSync(() => ex.before(1)), 2);
      t.deepEqual(runSync(() => ex.bad(...c.args)), c.expected);
      t.is(runSync(() => ex.after()), 'after');
    });
  }

  test('an unknown plugin option gives 91001 naming it, and lowering goes on with the defaults,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { 'tag-f'; yield null; return 1; });
`;
    const r = mode.compile(source, { config: { transform: 'gencoro/transformer', runtimeModul: 'x' } });
    t.deepEqual(r.diagnostics.map(at), [{ code: 91001, file: undefined, line: undefined, column: undefined }]);
    t.true(r.diagnostics[0]!.message.includes('"runtimeModul"'), r.diagnostics[0]!.message);
    t.true(r.diagnostics[0]!.message.includes('runtimeModule'), 'it lists the known options');
    t.is(functionState(r.output, 'tag-f'), 'lowered');
    t.is(count(r.output, 'require("gencoro")'), 2);
  });

  const badValues: Array<[string, unknown]> = [
    ['runtimeModule', 42], ['runtimeModule', ''], ['modules', 'gencoro'], ['modules', [1]], ['modules', ['']],
  ];
  for (const [key, value] of badValues) {
    test(`option ${key} set to ${JSON.stringify(value)} gives 91002 naming it,` + m, (t) => {
      const r = mode.compile(`export {};\n`, { config: { transform: 'gencoro/transformer', [key]: value } });
      t.deepEqual(r.diagnostics.map((d) => d.code), [91002]);
      t.true(r.diagnostics[0]!.message.includes(`"${key}"`), r.diagnostics[0]!.message);
      t.true(r.diagnostics[0]!.message.includes(JSON.stringify(value)), 'it shows the value given');
    });
  }

  const unprintable: Array<[string, unknown, string]> = [
    ['runtimeModule', undefined, 'got undefined'], ['runtimeModule', BigInt(10), 'got a bigint (10)'],
    ['runtimeModule', () => 'x', 'got a function'], ['runtimeModule', Symbol('s'), 'got a symbol (Symbol(s))'],
  ];
  for (const [key, value, shown] of unprintable) {
    test(`option ${key} set to ${typeof value} gives 91002 showing what it got (not a crash or an empty text),` + m, (t) => {
      const r = mode.compile(`export {};\n`, { config: { transform: 'gencoro/transformer', [key]: value } });
      t.deepEqual(r.diagnostics.map((d) => d.code), [91002]);
      t.true(r.diagnostics[0]!.message.endsWith(shown + '.'), r.diagnostics[0]!.message);
    });
  }

  test('ts-patch\'s own keys in the plugin entry are accepted silently,' + m, (t) => {
    const source = `import { coroutine } from 'gencoro';
export const f = coroutine(function* () { 'tag-f'; yield null; return 1; });
`;
    const config = {
      transform: 'gencoro/transformer', after: false, afterDeclarations: false, name: 'gencoro', type: 'program',
      transformProgram: false, import: 'default', isEsm: false, tsConfig: './tsconfig.json', resolvePathAliases: false,
    };
    const r = mode.compile(source, { config });
    t.deepEqual(r.diagnostics, []);
    t.is(functionState(r.output, 'tag-f'), 'lowered');
  });
}

// ---------------------------------------------------------------------------
// Without onDiagnostic, createTransformer throws

function transpileWith(source: string, factory: ts.TransformerFactory<ts.SourceFile>): string {
  return ts.transpileModule(source, {
    fileName: 'input.ts',
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    transformers: { before: [factory] },
  }).outputText;
}

test('without onDiagnostic, a construct that cannot be lowered throws an Error naming file:line:col and the code', (t) => {
  const source = `import { coroutine } from 'gencoro';
export const ok = coroutine(function* () { yield null; });
export const bad = coroutine(function* (b: unknown) { return import((yield b) as string); });
`;
  const { line, column } = positionOf(source, 'import((yield b)');
  const error = t.throws(() => transpileWith(source, createTransformer()));
  t.is(error?.message.split(': ')[0], `input.ts:${line}:${column}`);
  t.true(error?.message.includes('GENCORO91100'), error?.message);
  t.true(error?.message.includes('import()'), error?.message);
});

test('without onDiagnostic, a marker on an async function throws an Error naming file:line:col and 91010', (t) => {
  const source = `import { coroutine } from 'gencoro';
export const a = coroutine(async function () { return 1; });
`;
  const { line, column } = positionOf(source, 'async function');
  const error = t.throws(() => transpileWith(source, createTransformer({})));
  t.true(error?.message.startsWith(`input.ts:${line}:${column}: GENCORO91010: coroutine(...) marks an async function`), error?.message);
});

test('without onDiagnostic, an unknown option throws when the transformer is created, naming the option', (t) => {
  const error = t.throws(() => createTransformer({ runtimeModul: 'x' }));
  t.true(error?.message.startsWith('GENCORO91001: '), error?.message);
  t.true(error?.message.includes('"runtimeModul"'), error?.message);
});

test('with onDiagnostic, nothing is thrown and every problem is passed to it', (t) => {
  const seen: number[] = [];
  const factory = createTransformer({ runtimeModul: 'x', modules: 5 }, undefined, (d) => { seen.push(d.code); });
  const out = transpileWith(`import { coroutine } from 'gencoro';
export const a = coroutine(async function () { return 1; });
export const bad = coroutine(function* (b: unknown) { return import((yield b) as string); });
`, factory);
  t.deepEqual(seen, [91001, 91002, 91010, 91100]);
  t.true(out.includes('function* (b)'));
});

test('the ts-patch entry without extras throws on a diagnostic too, naming the file position and the code', (t) => {
  const source = `import { coroutine } from 'gencoro';
export const bad = coroutine(function* (b: unknown) { return import((yield b) as string); });
`;
  const { line, column } = positionOf(source, 'import((yield b)');
  const built = compileProgram({ 'input.ts': source }, { plain: true });
  const error = t.throws(() => built.program.emit(undefined, () => { /* discard */ }, undefined, false, {
    before: [plugin(built.program, { transform: 'gencoro/transformer' })],
  }));
  t.regex(error?.message ?? '', new RegExp(`/input\\.ts:${line}:${column}: GENCORO91100: `));
});

test('the ts-patch entry with extras passes every diagnostic to addDiagnostic as a ts.Diagnostic of the right file', (t) => {
  const source = `import { coroutine } from 'gencoro';
export const bad = coroutine(function* (b: unknown) { return import((yield b) as string); });
`;
  const built = compileProgram({ 'input.ts': source }, { plain: true });
  const added: ts.Diagnostic[] = [];
  built.program.emit(undefined, () => { /* discard */ }, undefined, false, {
    before: [plugin(built.program, { transform: 'gencoro/transformer', bogus: true }, { ts, addDiagnostic: (d) => added.push(d) })],
  });
  t.deepEqual(added.map((d) => d.code), [91001, 91100]);
  t.is(added[1]!.category, ts.DiagnosticCategory.Error);
  t.is(added[1]!.file, built.program.getSourceFile(built.program.getRootFileNames()[0]!));
  t.is(added[1]!.start, source.indexOf('import((yield b)'));
  t.is(added[1]!.length, 'import((yield b) as string)'.length);
  // ts-patch prints diagnostics with TypeScript's formatter: it must accept them.
  const text = ts.formatDiagnostics(added, {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => '/', getNewLine: () => '\n',
  });
  t.true(text.includes('error TS91100'), text);
});
