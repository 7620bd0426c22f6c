/**
 * gencoro/transformer: the ts-patch plugin entry.
 *
 * In tsconfig.json: `{ "transform": "gencoro/transformer" }` in
 * `compilerOptions.plugins`, built with `tspc`. From the TypeScript API
 * (transpileModule, ts-loader, ts-jest): `createTransformer(options, program)`
 * as a `customTransformers.before` entry.
 */
import type * as ts from 'typescript';
import { makeDiagnostic } from './diagnostics';
import { transformFile } from './file';
import { parseOptions } from './options';

export type { TransformerOptions } from './options';

/** What ts-patch passes as `extras` to a program-type plugin. */
export interface PluginExtras {
  ts: typeof ts;
  addDiagnostic: (diagnostic: ts.Diagnostic) => number;
}

/**
 * The ts-patch entry (plugin type "program"): `(program, config, extras)`.
 * Option problems and lowering problems become diagnostics of the build.
 */
export default function gencoroPlugin(program: ts.Program, config?: Record<string, unknown>,
  extras?: PluginExtras): ts.TransformerFactory<ts.SourceFile> {
  const tsApi = extras?.ts ?? loadTypeScript();
  const report = extras ? (d: ts.Diagnostic) => { extras.addDiagnostic(d); } : throwDiagnostic(tsApi);
  return makeFactory(tsApi, config, program, report);
}

/**
 * A `before` transformer for the TypeScript API. Without a `program`, gencoro
 * names are found by tracking imports. `onDiagnostic` receives what cannot be
 * lowered (by default it throws, so problems are never silent).
 */
export function createTransformer(options?: Record<string, unknown>, program?: ts.Program,
  onDiagnostic?: (diagnostic: ts.Diagnostic) => void, tsApi: typeof ts = loadTypeScript()): ts.TransformerFactory<ts.SourceFile> {
  return makeFactory(tsApi, options, program, onDiagnostic ?? throwDiagnostic(tsApi));
}

function makeFactory(tsApi: typeof ts, config: unknown, program: ts.Program | undefined,
  report: (d: ts.Diagnostic) => void): ts.TransformerFactory<ts.SourceFile> {
  const { options, problems } = parseOptions(config);
  for (const p of problems) report(makeDiagnostic(tsApi, p.template, p.args));
  const ctx = { ts: tsApi, options, program, report };
  return (context) => (file) => transformFile(ctx, context, file);
}

function throwDiagnostic(tsApi: typeof ts): (d: ts.Diagnostic) => void {
  return (d) => {
    const where = d.file && d.start !== undefined ? (() => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return d.file!.fileName + ':' + (line + 1) + ':' + (character + 1) + ': ';
    })() : '';
    throw new Error(where + 'GENCORO' + d.code + ': ' + tsApi.flattenDiagnosticMessageText(d.messageText, '\n'));
  };
}

function loadTypeScript(): typeof ts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('typescript') as typeof ts;
}
