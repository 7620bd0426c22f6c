/**
 * Helpers for the compiler-plugin tests: compile TypeScript with gencoro's
 * plugin (built, from dist/transformer through `gencoro/transformer`), both
 * without a Program (`transpileModule`, names found by tracking imports) and
 * with an in-memory Program (names resolved through the checker), then look
 * at or run what came out.
 */
import * as gencoro from 'gencoro';
import plugin, { createTransformer, type PluginExtras } from 'gencoro/transformer';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import ts from 'typescript';

/** The package root (/work/main): `gencoro` resolves from here through node_modules/gencoro. */
export const repoRoot = resolve(__dirname, '../..');

/**
 * Where in-memory files pretend to live. It is under the package root so
 * that `import ... from 'gencoro'` resolves to the real package both for the
 * Program's host and for anything resolving through `ts.sys`.
 */
export const virtualRoot = posix.join(repoRoot.split('\\').join('/'), '.tmp/virtual-transformer-tests');

/** A diagnostic in a form that is easy to compare. */
export interface Reported {
  code: number;
  message: string;
  /** File name as given to the compiler, or undefined for a diagnostic of the whole build. */
  file: string | undefined;
  /** 1-based line and column of `start`, when there is a file. */
  line: number | undefined;
  column: number | undefined;
  /** The source text the diagnostic spans. */
  text: string | undefined;
}

export function describe(d: ts.Diagnostic): Reported {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file === undefined || d.start === undefined) {
    return { code: d.code, message, file: d.file?.fileName, line: undefined, column: undefined, text: undefined };
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return {
    code: d.code, message, file: d.file.fileName, line: line + 1, column: character + 1,
    text: d.length === undefined ? undefined : d.file.text.slice(d.start, d.start + d.length),
  };
}

/** 1-based line and column of the first occurrence of `needle` in `source`. */
export function positionOf(source: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = source.indexOf(needle, index + 1);
    if (index < 0) throw new Error('positionOf: "' + needle + '" not found');
  }
  const before = source.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

// ---------------------------------------------------------------------------
// Without a Program

export interface TranspileOptions {
  /** The plugin's options (the plugins entry); undefined means none. */
  config?: Record<string, unknown>;
  /** Run without the plugin at all (for comparisons). */
  plain?: boolean;
  compilerOptions?: ts.CompilerOptions;
  fileName?: string;
}

export interface Transpiled {
  output: string;
  /** What the plugin reported (through onDiagnostic). */
  diagnostics: Reported[];
  /** TypeScript's own (syntactic) diagnostics. */
  tsDiagnostics: Reported[];
}

export const defaultCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  strict: true,
  sourceMap: false,
};

/** `ts.transpileModule` with `createTransformer(config, undefined, record)` in `before`. */
export function transpile(source: string, options: TranspileOptions = {}): Transpiled {
  const diagnostics: Reported[] = [];
  const before = options.plain ? [] : [createTransformer(options.config, undefined, (d) => { diagnostics.push(describe(d)); }, ts)];
  const out = ts.transpileModule(source, {
    fileName: options.fileName ?? 'input.ts',
    reportDiagnostics: true,
    compilerOptions: { ...defaultCompilerOptions, ...options.compilerOptions },
    transformers: { before },
  });
  return { output: out.outputText, diagnostics, tsDiagnostics: (out.diagnostics ?? []).map(describe) };
}

// ---------------------------------------------------------------------------
// With a Program

export interface ProgramOptions {
  /** The plugin's options, passed as ts-patch would (the whole plugins entry). */
  config?: Record<string, unknown>;
  /** Run without the plugin at all (for comparisons). */
  plain?: boolean;
  compilerOptions?: ts.CompilerOptions;
  /** Root files (default: every file given). Names are relative to the virtual directory. */
  roots?: string[];
  /**
   * How the plugin is attached: 'plugin' (default) is ts-patch's entry
   * `plugin(program, config, extras)`; 'createTransformer' is the API entry
   * with the program passed.
   */
  entry?: 'plugin' | 'createTransformer';
}

export interface Compiled {
  /** Emitted JavaScript by source name (`a.ts` gives `a.js`, `a.mts` gives `a.mjs`...), relative to the virtual directory. */
  outputs: Map<string, string>;
  /** What the plugin reported (through extras.addDiagnostic or onDiagnostic). */
  diagnostics: Reported[];
  /** TypeScript's own diagnostics: syntactic, semantic and from emit. */
  tsDiagnostics: Reported[];
  emitSkipped: boolean;
  program: ts.Program;
}

export const programCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true,
  skipLibCheck: true,
  types: [],
  lib: ['lib.es2022.d.ts'],
  sourceMap: false,
};

let nextProject = 0;
const diskFiles = new Map<string, ts.SourceFile>();

/**
 * Builds an in-memory Program over `files` (names relative to a fresh
 * virtual directory under the package root) with a CompilerHost that serves
 * them from a Map and everything else (lib files, the real gencoro package)
 * from disk, then emits with the plugin in `before`.
 */
export function compileProgram(files: Record<string, string>, options: ProgramOptions = {}): Compiled {
  const dir = posix.join(virtualRoot, 'p' + nextProject++);
  const memory = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) memory.set(posix.join(dir, name), text);
  const compilerOptions: ts.CompilerOptions = { ...programCompilerOptions, ...options.compilerOptions };
  const real = ts.createCompilerHost(compilerOptions, true);
  const strip = (d: string): string => d.replace(/\/+$/, '');
  /** The virtual directory or one inside it: nothing there but the in-memory files. */
  const isVirtualDir = (d: string): boolean => strip(d) === dir || strip(d).startsWith(dir + '/');
  /** A directory on the way to the virtual one (it may not exist on disk). */
  const leadsToVirtual = (d: string): boolean => dir.startsWith(strip(d) + '/');
  const outputs = new Map<string, string>();
  const host: ts.CompilerHost = {
    ...real,
    fileExists: (f) => memory.has(f) || real.fileExists(f),
    readFile: (f) => memory.get(f) ?? real.readFile(f),
    directoryExists: (d) => isVirtualDir(d) || leadsToVirtual(d) || (real.directoryExists?.(d) ?? ts.sys.directoryExists(d)),
    getDirectories: (d) => {
      if (isVirtualDir(d)) return [];
      try { return real.getDirectories?.(d) ?? []; } catch { return []; }
    },
    realpath: (f) => (memory.has(f) || isVirtualDir(f) ? f : real.realpath?.(f) ?? f),
    getCurrentDirectory: () => dir,
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
      const text = memory.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, false);
      // Declaration files on disk (lib, gencoro's .d.ts) are shared between programs, as a LanguageService does.
      const key = fileName + '|' + JSON.stringify(languageVersion);
      let file = diskFiles.get(key);
      if (file === undefined) {
        file = real.getSourceFile(fileName, languageVersion, onError, shouldCreate);
        if (file !== undefined && file.isDeclarationFile) diskFiles.set(key, file);
      }
      return file;
    },
    writeFile: (fileName, text) => {
      outputs.set(posix.relative(dir, fileName), text);
    },
  };
  const roots = (options.roots ?? Object.keys(files)).map((n) => posix.join(dir, n));
  const program = ts.createProgram(roots, compilerOptions, host);
  const diagnostics: Reported[] = [];
  let before: Array<ts.TransformerFactory<ts.SourceFile>> = [];
  if (!options.plain) {
    if (options.entry === 'createTransformer') {
      before = [createTransformer(options.config, program, (d) => { diagnostics.push(describe(d)); }, ts)];
    } else {
      const extras: PluginExtras = { ts, addDiagnostic: (d) => diagnostics.push(describe(d)) };
      before = [plugin(program, options.config, extras)];
    }
  }
  const tsDiagnostics = ts.getPreEmitDiagnostics(program).map(describe);
  const result = program.emit(undefined, undefined, undefined, false, { before });
  tsDiagnostics.push(...result.diagnostics.map(describe));
  return { outputs, diagnostics, tsDiagnostics, emitSkipped: result.emitSkipped, program };
}

/** File names of diagnostics from compileProgram are absolute; this gives the name relative to the project. */
export function relativeName(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const i = file.indexOf(virtualRoot + '/');
  if (i < 0) return file;
  return file.slice(virtualRoot.length + 1).replace(/^p\d+\//, '');
}

// ---------------------------------------------------------------------------
// Looking at output

/** True if emitted JavaScript contains a lowered coroutine (either output shape). */
export function isLoweredOutput(js: string): boolean {
  return js.includes('StateMachine(') || /\.begin\([\w$]+, [01]\)/.test(js);
}

export type FunctionState = 'lowered' | 'generator' | 'plain';

/**
 * Finds the function (expression, declaration or method; the arrow that a
 * lowering creates as its step does not count) around the string literal
 * `tag` in emitted JavaScript, and says whether it is still a generator,
 * was lowered (to a StateMachine with its own step, or into a shared step
 * function), or neither.
 */
export function functionState(output: string, tag: string): FunctionState {
  const file = ts.createSourceFile('out.js', output, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let found: ts.Node | undefined;
  const find = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text === tag) found = node;
    else ts.forEachChild(node, find);
  };
  find(file);
  if (found === undefined) throw new Error('functionState: no string literal "' + tag + '" in the output');
  for (let n: ts.Node | undefined = found.parent; n !== undefined; n = n.parent) {
    if (ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) {
      if (n.asteriskToken !== undefined) return 'generator';
      // A shared step function (fields.ts): `function (m_1, value_1, mode_1) { dispatch: ... }`.
      const params = n.parameters.map((p) => p.name.getText(file).replace(/_\d+$/, '')).join(',');
      if (params === 'm,value,mode') return 'lowered';
      const body = n.body === undefined ? '' : n.body.getText(file);
      return /return new __gencoro(_\d+)?\.(Region)?StateMachine\(/.test(body) ? 'lowered' : 'plain';
    }
  }
  throw new Error('functionState: "' + tag + '" is not inside a function');
}

/** Occurrences of `needle` in `text`. */
export function count(text: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return text.split(needle).length - 1;
  return [...text.matchAll(new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : needle.flags + 'g'))].length;
}

/** True if the emitted JavaScript parses without syntax errors (as a CommonJS script). */
export function parsesAsScript(output: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', output);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Running output

/**
 * Runs emitted CommonJS in this process: `require('gencoro')` is the built
 * runtime (dist/cjs, the same instance these tests import), relative requires
 * are served from `modules` (emitted JavaScript by name, `.js` added), anything
 * else is Node's require. Returns the entry module's exports.
 */
export function runCommonJs(modules: Map<string, string> | string, entry = 'input.js',
  globals: Record<string, unknown> = {}): Record<string, unknown> {
  const sources = typeof modules === 'string' ? new Map([[entry, modules]]) : modules;
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const load = (name: string): Record<string, unknown> => {
    const cached = cache.get(name);
    if (cached) return cached.exports;
    const text = sources.get(name);
    if (text === undefined) throw new Error('runCommonJs: no emitted module ' + name);
    const module = { exports: {} as Record<string, unknown> };
    cache.set(name, module);
    const requireFrom = (spec: string): unknown => {
      if (spec === 'gencoro') return gencoro;
      if (spec.startsWith('./') || spec.startsWith('../')) {
        const target = posix.normalize(posix.join(posix.dirname(name), spec));
        return load(target.endsWith('.js') ? target : target + '.js');
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(spec);
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const names = Object.keys(globals);
    new Function('require', 'module', 'exports', ...names, text)(requireFrom, module, module.exports,
      ...names.map((n) => globals[n]));
    return module.exports;
  };
  return load(entry);
}

/** Runs `fn` to completion on a fresh virtual-clock loop and returns its result. */
export function runSync(fn: () => unknown): unknown {
  const loop = new gencoro.IOLoop({ clock: 'virtual' });
  return loop.runSync(fn);
}

// ---------------------------------------------------------------------------
// Temporary projects on disk (for tspc and ES module output)

/** A fresh directory under /work/main/.tmp, so `gencoro` resolves through node_modules/gencoro. */
export function makeTempDir(prefix: string): { dir: string; write: (name: string, text: string) => string; remove: () => void } {
  const base = join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, prefix + '-'));
  return {
    dir,
    write: (name, text) => {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove: () => { rmSync(dir, { recursive: true, force: true }); },
  };
}

// ---------------------------------------------------------------------------
// One source file, compiled either way

export interface ModeOptions {
  config?: Record<string, unknown>;
  plain?: boolean;
  compilerOptions?: ts.CompilerOptions;
  /** Other files of the program (Program mode only), by name relative to input.ts. */
  extraFiles?: Record<string, string>;
}

export interface Single {
  /** Emitted JavaScript of input.ts. */
  output: string;
  /** What the plugin reported; file names relative to the project ("input.ts"). */
  diagnostics: Reported[];
  /** TypeScript's own diagnostics; file names relative to the project. */
  tsDiagnostics: Reported[];
  /** Runs the emitted CommonJS and returns input's exports. */
  run(): Record<string, unknown>;
}

export interface Mode {
  name: 'transpile' | 'program';
  /** For test titles. */
  label: string;
  compile(source: string, options?: ModeOptions): Single;
}

const relative = (r: Reported): Reported => ({ ...r, file: relativeName(r.file) });

export const transpileMode: Mode = {
  name: 'transpile',
  label: 'without a Program (transpileModule)',
  compile(source, options = {}) {
    if (options.extraFiles !== undefined) throw new Error('transpileMode: no extra files without a Program');
    const r = transpile(source, { config: options.config, plain: options.plain, compilerOptions: options.compilerOptions });
    return { ...r, run: () => runCommonJs(r.output, 'input.js') };
  },
};

export const programMode: Mode = {
  name: 'program',
  label: 'with a Program (checker)',
  compile(source, options = {}) {
    const c = compileProgram({ ...options.extraFiles, 'input.ts': source }, {
      config: options.config, plain: options.plain, compilerOptions: options.compilerOptions,
    });
    const output = c.outputs.get('input.js') ?? c.outputs.get('input.mjs');
    if (output === undefined) throw new Error('programMode: input.ts was not emitted: ' + JSON.stringify(c.tsDiagnostics));
    return {
      output,
      diagnostics: c.diagnostics.map(relative),
      tsDiagnostics: c.tsDiagnostics.map(relative),
      run: () => runCommonJs(c.outputs, 'input.js'),
    };
  },
};

export const modes: readonly Mode[] = [transpileMode, programMode];
