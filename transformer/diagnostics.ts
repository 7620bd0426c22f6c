/**
 * Every diagnostic the plugin reports, with a stable code, in one table.
 *
 * Deep code throws `LoweringError(code, node, ...args)`; the file visitor
 * catches only that type, reports it at the node, and leaves the function it
 * was lowering unlowered (it still runs, on native generators). Anything else
 * thrown is a bug in gencoro and propagates. Note that ts-patch fails the
 * build (`tspc` exits 2) on any diagnostic, so only real problems are
 * reported.
 */
import type * as ts from 'typescript';

export interface DiagnosticTemplate {
  code: number;
  /** Message with {0}, {1} placeholders. */
  message: string;
}

/** The table. Codes never change meaning; new ones are appended. */
export const Diagnostics = {
  unknownOption: { code: 91001, message: 'gencoro/transformer: unknown option "{0}" in the plugin entry (known options: {1}).' },
  badOptionValue: { code: 91002, message: 'gencoro/transformer: option "{0}" must be {1}; got {2}.' },
  markerOnAsync: { code: 91010, message: '{0} marks an async function; coroutines are generator functions (function*). Remove "async" or the marker.' },
  markerOnAsyncGenerator: { code: 91011, message: '{0} marks an async generator; coroutines are plain generator functions (function*).' },
  unsupportedConstruct: { code: 91100, message: 'gencoro cannot lower this coroutine yet: {0} is not supported here; the function is left unlowered (it still runs on native generators).' },
  alreadyTransformed: { code: 91004, message: 'gencoro/transformer met a coroutine that TypeScript (or a transformer before it) already rewrote: it must run before TypeScript\'s own transforms (as a "before" transformer). The function is left unlowered.' },
  perIterationCapture: { code: 91101, message: 'gencoro cannot lower this coroutine yet: the loop binding "{0}" is captured by a closure in a loop that contains a yield; the function is left unlowered (it still runs on native generators).' },
} satisfies Record<string, DiagnosticTemplate>;

/** A user-facing problem found while lowering one function. */
export class LoweringError extends Error {
  constructor(readonly template: DiagnosticTemplate, readonly node: ts.Node | undefined, readonly args: string[]) {
    super(format(template, args));
    this.name = 'LoweringError';
  }
}

export function format(template: DiagnosticTemplate, args: readonly string[]): string {
  return template.message.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? '');
}

/** Throws a LoweringError: the construct at `node` cannot be lowered. */
export function unsupported(node: ts.Node, what: string): never {
  throw new LoweringError(Diagnostics.unsupportedConstruct, node, [what]);
}

/** An internal invariant; failing it is a bug in gencoro, never a user error. */
export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error('gencoro internal error: ' + what);
}

/** Makes a ts.Diagnostic at `node` (or for the whole program when there is none). */
export function makeDiagnostic(tsApi: typeof ts, template: DiagnosticTemplate, args: readonly string[],
  node?: ts.Node): ts.Diagnostic {
  const messageText = format(template, args);
  // A node made by a transformer has no parent (getSourceFile would fail) and no position.
  if (node !== undefined && node.pos >= 0 && (node.parent !== undefined || tsApi.isSourceFile(node)) && node.getSourceFile() !== undefined) {
    const file = node.getSourceFile();
    const start = node.getStart(file);
    return {
      category: tsApi.DiagnosticCategory.Error, code: template.code, file, start,
      length: node.getEnd() - start, messageText, source: 'gencoro',
    };
  }
  return {
    category: tsApi.DiagnosticCategory.Error, code: template.code, file: undefined, start: undefined,
    length: undefined, messageText, source: 'gencoro',
  };
}
