/**
 * Source maps and stack traces of lowered coroutines. The plugin keeps the
 * source positions of what it re-emits, so the source maps `tspc` writes lead
 * lowered code back to the original lines:
 *
 * - a small project (under .tmp/, built with `tspc` and the plugin, as a user
 *   builds) throws inside lowered coroutines: (a) before any yield, (b) after
 *   a yield, inside a loop with try/finally, (c) from an expression that
 *   contains a yield, (d) in yield-free (native) code of the body, and two
 *   lowered expressions, (e) `new` with a yield in its arguments and (f) a
 *   method call with a yield in its arguments, and (g) a for...of over a
 *   value that is not iterable, with a yield in its body. Run with
 *   `node --enable-source-maps`, each error's stack must name the original
 *   .ts file, at the exact line and column of the throwing code, and give the
 *   same program frames as the same project built without the plugin;
 * - for a coroutine with loops, a switch and try/catch/finally, every line of
 *   the lowered output that came from a source statement (it holds one of the
 *   statement's `at('mN', ...)` markers) maps, at every position, to a line
 *   of that same statement (Node's own `SourceMap`, which
 *   `--enable-source-maps` uses).
 *
 * Needs dist/ (`npm run build`; `npm test` does).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { isLoweredOutput } from './helpers/compile.js';

const root = join(__dirname, '..');

// ---------------------------------------------------------------------------
// The project

const tsconfig = {
  compilerOptions: {
    target: 'ES2020',
    module: 'commonjs',
    lib: ['es2020'],
    types: [],
    strict: true,
    skipLibCheck: true,
    sourceMap: true,
    rootDir: '.',
    outDir: 'out',
    plugins: [{ transform: 'gencoro/transformer' }],
  },
  files: ['program.ts', 'mapped.ts'],
};

const shared = `import { coroutine, Future, IOLoop } from 'gencoro';

declare const console: { log(line: string): void };
/** A coroutine body: every \`yield\` gives \`any\`; the body returns R. */
type Co<R = void> = Generator<unknown, R, any>;

/** A Future that is already done: the runner goes on synchronously. */
function ready<T>(value: T): Future<T> {
  const f = new Future<T>();
  f.setResult(value);
  return f;
}

/** A Future done after \`ms\` on the current loop: the coroutine really suspends. */
function later<T>(ms: number, value: T): Future<T> {
  const f = new Future<T>();
  IOLoop.current().callLater(ms, () => f.setResult(value));
  return f;
}
`;

/**
 * The stack-trace program. Each throwing line holds a text the cases below
 * find it by; every error is caught and its stack printed as one JSON line.
 */
const program = shared + `
function nothing(): any {
  return undefined;
}
function foo(x: unknown): any {
  return { x };
}
const log: string[] = [];

const beforeYield = coroutine(function* (n: number): Co<number> {
  log.push('a');
  if (n > 0) throw new Error('a: before any yield');
  const v = yield ready(n);
  return v;
});

const afterYield = coroutine(function* (n: number): Co {
  for (let i = 0; i < n; i++) {
    try {
      const v = yield later(1, i);
      log.push('b got ' + v);
      if (v === 2) throw new Error('b: after a yield');
    } finally {
      log.push('b finally ' + i);
    }
  }
});

const inExpression = coroutine(function* (x: number): Co {
  log.push('c');
  foo(yield ready(x)).bar.baz();
});

const inNative = coroutine(function* (xs: number[]): Co {
  const first = yield later(1, xs[0]);
  for (const x of xs) {
    switch (x) {
      case 3:
        log.push('d three ' + first);
        break;
      default:
        xs.forEach((y) => {
          if (y === x) nothing().deep.path;
        });
    }
  }
});

const loweredNew = coroutine(function* (x: number): Co {
  log.push('e');
  throw new Error('e: ' + (yield ready(x)));
});

const target = {
  method(v: unknown): void {
    throw new Error('f: in method ' + v);
  },
};
const loweredCall = coroutine(function* (x: number): Co {
  log.push('f');
  target
    .method(yield ready(x));
});

const notIterable = coroutine(function* (values: any): Co {
  log.push('g');
  for (const value of values) {
    yield ready(value);
  }
});

const loop = new IOLoop({ clock: 'virtual' });
const cases: [string, () => unknown][] = [
  ['a', () => beforeYield(1)],
  ['b', () => afterYield(5)],
  ['c', () => inExpression(1)],
  ['d', () => inNative([3, 4])],
  ['e', () => loweredNew(1)],
  ['f', () => loweredCall(1)],
  ['g', () => notIterable(5)],
];
for (const [name, run] of cases) {
  log.length = 0;
  try {
    loop.runSync(run);
    console.log(JSON.stringify({ name, stack: null, log }));
  } catch (e) {
    console.log(JSON.stringify({ name, stack: (e as Error).stack, log }));
  }
}
`;

/**
 * The source-map program: loops, a switch, try/catch/finally, statements on
 * several lines; every statement holds a marker `at('mN', ...)`.
 */
const mapped = shared + `
/** The identity: the marker names the statement it stands in. */
function at<T>(marker: string, value: T): T {
  return value;
}

const walk = coroutine(function* (n: number): Co<string> {
  let out = at('m1', '');
  for (let i = at('m2', 0); i < at('m3', n); i = at('m4', i + 1)) {
    switch (at('m5', i % 4)) {
      case at('m6', 0):
        out += at('m7', yield ready('zero'));
        break;
      case at('m8', 1): {
        const v = yield later(1, at('m9', 'one'));
        out += at('m10',
          v);
        continue;
      }
      case at('m11', 2):
        if (at('m12', out.length > 3)) {
          out += at('m13', yield later(1, '2'));
        } else {
          out += at('m14', 'two');
        }
        break;
      default:
        out += at('m15', 'other');
    }
    try {
      if (at('m16', i) === 2) throw new Error(at('m17', 'caught'));
      out += at('m18', yield ready('.'));
    } catch (e) {
      out += at('m19', (e as Error).message) +
        at('m20', yield ready('!'));
    } finally {
      out += at('m21', yield ready(';'));
    }
  }
  let k = at('m22', 0);
  while (at('m23', k) < 2) {
    k = at('m24', k + (yield ready(1)));
  }
  do {
    out = at('m25', yield later(1, out + k));
  } while (at('m26', false));
  for (const ch of at('m27', ['x', 'y'])) {
    out += at('m28', yield ready(ch));
  }
  return at('m29', out);
});

const loop = new IOLoop({ clock: 'virtual' });
console.log(loop.runSync(() => walk(5)));
`;

// ---------------------------------------------------------------------------
// Building and running

interface Built {
  dir: string;
  /** Output of the lowered program with --enable-source-maps, by case. */
  lowered: Map<string, string | null>;
  /** The same, built without the plugin (native generators). */
  plain: Map<string, string | null>;
  /** The lowered program run without source maps. */
  raw: Map<string, string | null>;
  loweredMapped: string;
  plainMapped: string;
}

let built: Built | undefined;
let buildError: unknown;
let tempDir: string | undefined;

function node(args: string[], cwd: string): string {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return execFileSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
}

function compile(tool: 'tspc' | 'tsc', dir: string, outDir: string): void {
  const bin = tool === 'tspc' ? 'node_modules/ts-patch/bin/tspc.js' : 'node_modules/typescript/bin/tsc';
  try {
    node([join(root, bin), '-p', dir, '--outDir', outDir], root);
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(tool + ' failed:\n' + (out.stdout ?? '') + (out.stderr ?? ''));
  }
}

function stacks(output: string): Map<string, string | null> {
  const byName = new Map<string, string | null>();
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { name: string; stack: string | null };
    byName.set(entry.name, entry.stack);
  }
  return byName;
}

test.before(() => {
  try {
    for (const f of ['dist/transformer/index.js', 'dist/cjs/index.js']) {
      if (!existsSync(join(root, f))) throw new Error(f + ' is missing: run `npm run build` first');
    }
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(root, '.tmp', 'source-maps-'));
    tempDir = dir;
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    writeFileSync(join(dir, 'program.ts'), program);
    writeFileSync(join(dir, 'mapped.ts'), mapped);
    compile('tspc', dir, join(dir, 'out'));
    compile('tsc', dir, join(dir, 'plain'));
    built = {
      dir,
      // Whole stacks: V8's default limit of 10 frames would cut the deeper unlowered stacks shorter.
      lowered: stacks(node(['--stack-trace-limit=100', '--enable-source-maps', 'out/program.js'], dir)),
      plain: stacks(node(['--stack-trace-limit=100', '--enable-source-maps', 'plain/program.js'], dir)),
      raw: stacks(node(['out/program.js'], dir)),
      loweredMapped: node(['--enable-source-maps', 'out/mapped.js'], dir),
      plainMapped: node(['--enable-source-maps', 'plain/mapped.js'], dir),
    };
  } catch (e) {
    buildError = e;
  }
});

test.after.always(() => {
  // KEEP_SOURCE_MAPS_TMP=1 keeps the project to look at.
  if (tempDir !== undefined && process.env.KEEP_SOURCE_MAPS_TMP === undefined) rmSync(tempDir, { recursive: true, force: true });
});

function project(): Built {
  if (built === undefined) throw buildError instanceof Error ? buildError : new Error(String(buildError));
  return built;
}

// ---------------------------------------------------------------------------
// Stack frames

interface Frame {
  file: string;
  line: number;
  column: number;
}

/** The frames of a V8 stack (`at name (file:line:col)` or `at file:line:col`). */
function frames(stack: string): Frame[] {
  const found: Frame[] = [];
  for (const text of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(text);
    if (m !== null) found.push({ file: m[1], line: Number(m[2]), column: Number(m[3]) });
  }
  return found;
}

/** Frames in the project's own files (source or output), as `file:line:column` relative to the project. */
function programFrames(dir: string, stack: string): string[] {
  return frames(stack).filter((f) => f.file.startsWith(dir + '/'))
    .map((f) => f.file.slice(dir.length + 1) + ':' + f.line + ':' + f.column);
}

/**
 * Where a frame must point in program.ts: the one line containing `line`,
 * at the column where `column` starts on it (1-based, as stacks print).
 */
function expectedFrame(line: string, column: string): string {
  const lines = program.split('\n');
  const found = lines.flatMap((text, i) => (text.includes(line) ? [i] : []));
  if (found.length !== 1) throw new Error(`"${line}" is on ${found.length} lines of program.ts`);
  const col = lines[found[0]].indexOf(column);
  if (col < 0) throw new Error(`"${column}" is not on line ${found[0] + 1} of program.ts`);
  return 'program.ts:' + (found[0] + 1) + ':' + (col + 1);
}

interface StackCase {
  name: string;
  title: string;
  /** The first line of the stack. */
  message: RegExp;
  /** The first frames in the program, in order: [text of the line, text at the column]. */
  frames: [string, string][];
}

const stackCases: StackCase[] = [
  {
    name: 'a', title: '(a) a throw before any yield', message: /^Error: a: before any yield$/,
    frames: [["throw new Error('a: before any yield')", "new Error('a"]],
  },
  {
    name: 'b', title: '(b) a throw after a yield, inside a loop with try/finally', message: /^Error: b: after a yield$/,
    frames: [["throw new Error('b: after a yield')", "new Error('b"]],
  },
  {
    name: 'c', title: '(c) a TypeError from an expression containing a yield: foo(yield x).bar.baz()',
    message: /^TypeError: .*'baz'/,
    frames: [['foo(yield ready(x)).bar.baz();', '.baz()']],
  },
  {
    name: 'd', title: '(d) a TypeError in yield-free (native) code of the body, inside a callback',
    message: /^TypeError: .*'deep'/,
    frames: [['nothing().deep.path', '.deep'], ['xs.forEach((y) => {', 'forEach']],
  },
  {
    name: 'e', title: '(e) a lowered `new` with a yield in its arguments: throw new Error(... yield ...)',
    message: /^Error: e: 1$/,
    frames: [["throw new Error('e: ' + (yield ready(x)));", 'new Error']],
  },
  {
    name: 'f', title: '(f) a lowered method call with a yield in its arguments, over two lines',
    message: /^Error: f: in method 1$/,
    frames: [["throw new Error('f: in method ' + v);", 'new Error'], ['.method(yield ready(x));', 'method(']],
  },
  {
    name: 'g', title: '(g) for...of over a value that is not iterable, with a yield in the loop',
    message: /^TypeError: .*not iterable/,
    frames: [['for (const value of values) {', 'values)']],
  },
];

test('the project builds with tspc and the output is lowered (no generator), stacks name program.js without source maps', (t) => {
  const { dir, raw } = project();
  for (const file of ['program', 'mapped']) {
    const js = readFileSync(join(dir, 'out', file + '.js'), 'utf8');
    t.true(isLoweredOutput(js), file + '.js is lowered');
    t.notRegex(js, /function\s*\*/, file + '.js has no generator function');
    t.true(existsSync(join(dir, 'out', file + '.js.map')), file + '.js.map is written');
    t.regex(js, new RegExp('//# sourceMappingURL=' + file + '\\.js\\.map\\s*$'));
  }
  // Without --enable-source-maps the same stacks point into the output: the mapping is the source map's doing.
  for (const c of stackCases) {
    const stack = raw.get(c.name);
    t.truthy(stack, c.name + ' threw');
    t.is(programFrames(dir, stack ?? '')[0]?.replace(/:\d+:\d+$/, ''), 'out/program.js', stack ?? '');
  }
});

for (const c of stackCases) {
  test(`stack of ${c.title}: names program.ts at the line and column of the throwing code, as unlowered`, (t) => {
    const { dir, lowered, plain } = project();
    const stack = lowered.get(c.name);
    const plainStack = plain.get(c.name);
    t.log('lowered, --enable-source-maps:\n' + stack);
    if (typeof stack !== 'string' || typeof plainStack !== 'string') {
      t.fail(`case ${c.name} did not throw (lowered: ${String(stack)}, unlowered: ${String(plainStack)})`);
      return;
    }
    t.regex(stack.split('\n')[0], c.message);
    const ours = programFrames(dir, stack);
    const expected = c.frames.map(([line, column]) => expectedFrame(line, column));
    // The expectation is what V8 reports for the same program built without the plugin.
    t.deepEqual(programFrames(dir, plainStack).slice(0, expected.length), expected, 'unlowered:\n' + plainStack);
    t.deepEqual(ours.slice(0, expected.length), expected, 'lowered:\n' + stack);
    t.deepEqual(ours, programFrames(dir, plainStack), 'all program frames, lowered vs unlowered');
    t.false(ours.some((f) => f.startsWith('out/')), 'every program frame is mapped to the source');
  });
}

// ---------------------------------------------------------------------------
// Every marked line of the lowered output maps to its statement

function isStatement(node: ts.Node): boolean {
  return ts.isBlock(node) || (node.kind >= ts.SyntaxKind.FirstStatement && node.kind <= ts.SyntaxKind.LastStatement);
}

interface Marker {
  /** 0-based line and column of the marker's string literal in mapped.ts. */
  line: number;
  column: number;
  /** 1-based lines of that statement's own text (not of the statements nested in it). */
  lines: Set<number>;
}

/** The markers of mapped.ts: the string literal of each `at('mN', ...)`. */
function sourceMarkers(file: ts.SourceFile): Map<string, Marker> {
  const markers = new Map<string, Marker>();
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const ownLines = (statement: ts.Statement): Set<number> => {
    const lines = new Set<number>([lineOf(statement.getStart(file)) + 1]);
    const visit = (node: ts.Node): void => {
      if (isStatement(node)) return;
      lines.add(lineOf(node.getStart(file)) + 1);
      if (node.getChildCount(file) === 0) lines.add(lineOf(node.getEnd()) + 1);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(statement, visit);
    return lines;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'at') {
      const literal = node.arguments[0];
      if (!ts.isStringLiteral(literal)) throw new Error('at() without a marker');
      let statement: ts.Node = node;
      while (!isStatement(statement)) statement = statement.parent;
      const { line, character } = file.getLineAndCharacterOfPosition(literal.getStart(file));
      if (markers.has(literal.text)) throw new Error('marker ' + literal.text + ' used twice');
      markers.set(literal.text, { line, column: character, lines: ownLines(statement as ts.Statement) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return markers;
}

function isMapping(entry: SourceMapping | object): entry is SourceMapping {
  return 'originalLine' in entry;
}

test('the lowered coroutine with loops, switch and try/catch/finally runs as unlowered', (t) => {
  const { loweredMapped, plainMapped } = project();
  t.is(loweredMapped, plainMapped);
  t.regex(loweredMapped, /^zero/);
});

test('every line of the lowered output that came from a source statement maps back to a line of that statement', (t) => {
  const { dir } = project();
  const source = ts.createSourceFile('mapped.ts', mapped, ts.ScriptTarget.ES2020, true);
  const markers = sourceMarkers(source);
  t.true(markers.size >= 29, markers.size + ' markers');
  const js = readFileSync(join(dir, 'out/mapped.js'), 'utf8');
  const map = new SourceMap(JSON.parse(readFileSync(join(dir, 'out/mapped.js.map'), 'utf8')) as SourceMapPayload);
  const jsLines = js.split('\n');
  const seen = new Set<string>();
  const problems: string[] = [];
  const describe = (e: SourceMapping) => `${e.originalSource.replace(/^.*\//, '')}:${e.originalLine + 1}:${e.originalColumn + 1}`;
  let checkedLines = 0;
  jsLines.forEach((text, g) => {
    const onLine = [...text.matchAll(/'(m\d+)'/g)].filter((m) => markers.has(m[1]));
    if (onLine.length === 0) return;
    checkedLines++;
    const allowed = new Set<number>();
    for (const m of onLine) for (const l of markers.get(m[1])!.lines) allowed.add(l);
    const where = (col: number) => `mapped.js:${g + 1}:${col + 1} \`${text.trim()}\``;
    const names = onLine.map((m) => m[1]).join(', ');
    // The marker itself: exactly where it is written.
    for (const m of onLine) {
      seen.add(m[1]);
      const marker = markers.get(m[1])!;
      const entry = map.findEntry(g, m.index!);
      const wanted = `mapped.ts:${marker.line + 1}:${marker.column + 1}`;
      if (!isMapping(entry) || describe(entry) !== wanted) {
        problems.push(`${where(m.index!)}: the marker ${m[1]} maps to ${isMapping(entry) ? describe(entry) : 'nothing'}, not ${wanted}`);
      }
    }
    // Where the line's statement starts (after a `case N:` the printer may put before it: where a debugger
    // pauses, and what a throw from code the plugin made there reports), and every mapping on the line.
    const first = /^\s*(?:(?:case \d+|default):\s*)?/.exec(text)![0].length;
    for (let col = first; col < text.length; col++) {
      const entry = map.findEntry(g, col);
      if (col !== first && (!isMapping(entry) || entry.generatedLine !== g || entry.generatedColumn !== col)) continue;
      const ok = isMapping(entry) && entry.originalSource.endsWith('mapped.ts') && allowed.has(entry.originalLine + 1);
      if (!ok) {
        problems.push(`${where(col)}: maps to ${isMapping(entry) ? describe(entry) : 'nothing'}, ` +
          `not to a line of the statement of ${names} (lines ${[...allowed].sort((a, b) => a - b).join(', ')})`);
      }
    }
  });
  t.log(checkedLines + ' lines of out/mapped.js checked');
  t.deepEqual([...markers.keys()].filter((m) => !seen.has(m)), [], 'every marker appears in the lowered output');
  t.deepEqual(problems, []);
});
