/**
 * The per-file visitor: finds coroutine generators (detect.ts), lowers each
 * one, reports what cannot be lowered, and adds the one namespace import of
 * the runtime that lowered code uses.
 */
import type * as ts from 'typescript';
import { Analysis } from './analysis';
import { buildBody } from './build';
import { Detector } from './detect';
import { Diagnostics, LoweringError, makeDiagnostic } from './diagnostics';
import { FunctionLowering, type Renamed } from './emitter';
import { Hoisting } from './hoist';
import { lowerStatements } from './statements';
import type { TransformerOptions } from './options';

export interface FileContext {
  ts: typeof ts;
  options: TransformerOptions;
  program: ts.Program | undefined;
  report: (diagnostic: ts.Diagnostic) => void;
}

const noRenames: Renamed = () => undefined;

export function transformFile(ctx: FileContext, context: ts.TransformationContext, file: ts.SourceFile): ts.SourceFile {
  const t = ctx.ts;
  const f = context.factory;
  if (file.isDeclarationFile) return file;
  const detector = new Detector(t, file, ctx.options.modules, ctx.program);
  const analysis = new Analysis(t);
  let runtime: ts.Identifier | undefined;
  let lowered = 0;

  const lowerFunction = (node: ts.Node, outer: Renamed): ts.Node | undefined => {
    if (!isGeneratorFunction(t, node)) {
      reportAsyncMarker(node);
      return undefined;
    }
    const marker = detector.markedBy(node);
    if (marker === undefined) return undefined;
    const fn = node as ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;
    if (fn.body === undefined) return undefined;
    runtime ??= f.createUniqueName('__gencoro');
    try {
      const hoisting = new Hoisting(t, analysis, f);
      hoisting.run(fn);
      const L = new FunctionLowering(t, f, analysis, hoisting, runtime, (callee) => detector.marker(callee) === 'wait',
        outer, lowerFunction);
      if (hoisting.usesArguments) L.argumentsAlias = f.createUniqueName('args');
      L.chooseDispatchLabel(fn.body);
      lowerStatements(L, fn.body.statements);
      if (L.isReachable) L.emitTerminal(L.returnStatements(undefined));
      const body = buildBody(L, fn.body);
      const parameters = t.visitNodes(fn.parameters, (p) => visitChildren(p, outer), t.isParameter) as ts.NodeArray<ts.ParameterDeclaration>;
      lowered++;
      return update(fn, parameters, body);
    } catch (e) {
      if (!(e instanceof LoweringError)) throw e;
      ctx.report(makeDiagnostic(t, e.template, e.args, e.node ?? node));
      return visitChildren(node, outer);
    }
  };

  const update = (fn: ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration,
    parameters: ts.NodeArray<ts.ParameterDeclaration>, body: ts.Block): ts.Node => {
    if (t.isFunctionExpression(fn)) {
      return f.updateFunctionExpression(fn, fn.modifiers, undefined, fn.name, fn.typeParameters, parameters, undefined, body);
    }
    if (t.isFunctionDeclaration(fn)) {
      return f.updateFunctionDeclaration(fn, fn.modifiers, undefined, fn.name, fn.typeParameters, parameters, undefined, body);
    }
    return f.updateMethodDeclaration(fn, t.visitNodes(fn.modifiers, (m) => visitChildren(m, noRenames)) as ts.NodeArray<ts.ModifierLike> | undefined,
      undefined, fn.name, fn.questionToken, fn.typeParameters, parameters, undefined, body);
  };

  const reportAsyncMarker = (node: ts.Node): void => {
    if (!(t.isFunctionExpression(node) || t.isFunctionDeclaration(node) || t.isMethodDeclaration(node) || t.isArrowFunction(node))) return;
    const isAsync = node.modifiers?.some((m) => m.kind === t.SyntaxKind.AsyncKeyword) ?? false;
    if (!isAsync) return;
    const marker = detector.markedBy(node);
    if (marker === undefined) return;
    const template = (node as ts.FunctionLikeDeclarationBase).asteriskToken ? Diagnostics.markerOnAsyncGenerator : Diagnostics.markerOnAsync;
    ctx.report(makeDiagnostic(t, template, [marker], node));
  };

  const visitChildren = (node: ts.Node, outer: Renamed): ts.Node =>
    t.visitEachChild(node, (child) => visit(child, outer), context);

  const visit = (node: ts.Node, outer: Renamed): ts.Node => {
    if (t.isFunctionLike(node)) {
      const result = lowerFunction(node, outer);
      if (result !== undefined) return result;
    }
    return visitChildren(node, outer);
  };

  const result = visitChildren(file, noRenames) as ts.SourceFile;
  if (lowered === 0 || runtime === undefined) return result;
  const importDecl = f.createImportDeclaration(undefined,
    f.createImportClause(false, undefined, f.createNamespaceImport(runtime)),
    f.createStringLiteral(ctx.options.runtimeModule));
  return f.updateSourceFile(result, [importDecl, ...result.statements]);
}

function isGeneratorFunction(t: typeof ts, node: ts.Node): boolean {
  return (t.isFunctionExpression(node) || t.isFunctionDeclaration(node) || t.isMethodDeclaration(node)) &&
    node.asteriskToken !== undefined && !(node.modifiers?.some((m) => m.kind === t.SyntaxKind.AsyncKeyword) ?? false);
}
