/**
 * The per-file visitor: finds coroutine generators (detect.ts), lowers each
 * one, reports what cannot be lowered, and adds the one namespace import of
 * the runtime that lowered code uses.
 */
import type * as ts from 'typescript';
import { Analysis, isErased } from './analysis';
import { buildBody, buildShared } from './build';
import { Detector } from './detect';
import { Diagnostics, LoweringError, assert, makeDiagnostic } from './diagnostics';
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
  const compilerOptions = context.getCompilerOptions();
  const strictFile = isStrictFile(t, file, compilerOptions);
  // TypeScript turns let/const/class into var below ES2015 (see Hoisting.blockScopesAreVars).
  const blockScopesAreVars = emitTarget(t, compilerOptions) < t.ScriptTarget.ES2015;
  const decoratorMetadata = compilerOptions.experimentalDecorators === true && compilerOptions.emitDecoratorMetadata === true;
  const analysis = new Analysis(t);
  const checker = ctx.program?.getTypeChecker();
  let runtime: ts.Identifier | undefined;
  let lowered = 0;

  const lowerFunction = (node: ts.Node, outer: Renamed): ts.Node | ts.Node[] | undefined => {
    if (!isGeneratorFunction(t, node)) {
      reportAsyncMarker(node);
      return undefined;
    }
    const marker = detector.markedBy(node);
    if (marker === undefined) return undefined;
    const fn = node as ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;
    if (fn.body === undefined) return undefined;
    if (fn.parent === undefined) {
      // A tree TypeScript's transforms made (the plugin placed "after"): no parents, scopes or positions to lower with.
      ctx.report(makeDiagnostic(t, Diagnostics.alreadyTransformed, [], t.getOriginalNode(fn)));
      return undefined;
    }
    runtime ??= f.createUniqueName('__gencoro');
    try {
      const shared = canShareStep(t, fn, outer === noRenames, strictFile);
      const hoisting = hoist(fn as typeof fn & { body: ts.Block }, shared);
      const L = new FunctionLowering(t, f, analysis, hoisting, runtime, (callee) => detector.marker(callee) === 'wait',
        outer, lowerNested);
      if (hoisting.usesArguments) L.argumentsAlias = f.createUniqueName('args');
      L.checker = checker;
      L.chooseDispatchLabel(fn.body);
      lowerStatements(L, fn.body.statements);
      if (L.isReachable) L.emitTerminal(L.returnStatements(undefined));
      const parameters = t.visitNodes(fn.parameters, (p) => visitChildren(p, outer), t.isParameter) as ts.NodeArray<ts.ParameterDeclaration>;
      if (shared) {
        // A declaration's step is named after it: the step is what a stack trace shows (`tagged_1`).
        const stepName = f.createUniqueName(t.isFunctionDeclaration(fn) && fn.name !== undefined ? t.idText(fn.name) : 'step');
        const { entry, step, clear } = buildShared(L, fn.body, stepName);
        lowered++;
        return placeShared(fn as ts.FunctionExpression | ts.FunctionDeclaration, update(fn, parameters, entry), stepName, step, clear);
      }
      // A step per call is named after the function or method when it has a plain name (`load_1`).
      const name = fn.name !== undefined && (t.isIdentifier(fn.name) || t.isPrivateIdentifier(fn.name)) ? t.idText(fn.name).replace('#', '') : undefined;
      const body = buildBody(L, fn.body, name === undefined ? undefined : f.createUniqueName(name));
      lowered++;
      return update(fn, parameters, body);
    } catch (e) {
      if (isStackOverflow(e)) {
        // The lowering's visitors recurse once per nesting level (a chain of a thousand `+` is that
        // deep). Left as written, unvisited: visiting it again would overflow again.
        ctx.report(makeDiagnostic(t, Diagnostics.unsupportedConstruct, ['code nested this deeply (the plugin ran out of stack)'], node));
        return outer === noRenames ? node : undefined;
      }
      if (!(e instanceof LoweringError)) throw e;
      ctx.report(makeDiagnostic(t, e.template, e.args, e.node ?? node));
      // Left as written. Nested in a lowered body, it still reads that body's renamed bindings:
      // the caller's native visit renames them (undefined: not lowered).
      return outer === noRenames ? visitChildren(node, outer) : undefined;
    }
  };

  // Scopes, again while some yield-free blocks must be lowered after all (see Hoisting.mustLower).
  // Lowering one can make another necessary (a binding it boxes is captured by a function
  // declaration in a native block further in); each pass lowers more, so this ends.
  const hoist = (fn: ts.SignatureDeclaration & { body: ts.Block }, fields: boolean): Hoisting => {
    const options = { fields, blockScopesAreVars, sloppy: !isStrictCode(t, fn, strictFile), decoratorMetadata };
    for (;;) {
      const hoisting = new Hoisting(t, analysis, f, options);
      hoisting.run(fn);
      if (hoisting.mustLower.size === 0) return hoisting;
      let changed = false;
      for (const owner of hoisting.mustLower) changed = analysis.lowerAnyway(owner, fn.body) || changed;
      assert(changed, 'a block to lower is lowered already');
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
      // The return type stays: `emitDecoratorMetadata` writes it as design:returntype.
      undefined, fn.name, fn.questionToken, fn.typeParameters, parameters, fn.type, body);
  };

  /**
   * Where a shared step goes: made with its function, in the same scope, once.
   * [expression]   ((step) => __gencoro.lowered(step, function (a) {...}, clear))(function (m, value, mode) {...})
   * [declaration]  function g(a) {...}  function step(m, value, mode) {...}  __gencoro.lowered(step, g, clear);
   * (`clear`: see build.ts `clearFunction`; left out when there is nothing to clear.)
   */
  const placeShared = (fn: ts.FunctionExpression | ts.FunctionDeclaration, entry: ts.Node, stepName: ts.Identifier,
    step: ts.FunctionExpression, clear: ts.FunctionExpression | undefined): ts.Node | ts.Node[] => {
    const extra = clear === undefined ? [] : [clear];
    if (t.isFunctionExpression(fn)) {
      const brand = f.createCallExpression(f.createPropertyAccessExpression(runtime!, 'lowered'), undefined,
        [stepName, entry as ts.Expression, ...extra]);
      const make = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, stepName)],
        undefined, f.createToken(t.SyntaxKind.EqualsGreaterThanToken), brand);
      // A named function's step carries its name (for stack traces); an anonymous one's stays anonymous.
      const named = fn.name === undefined ? step : f.updateFunctionExpression(step, step.modifiers, step.asteriskToken,
        f.createUniqueName(t.idText(fn.name)), step.typeParameters, step.parameters, step.type, step.body);
      return t.setTextRange(f.createCallExpression(f.createParenthesizedExpression(make), undefined, [named]), fn);
    }
    const stepDecl = f.createFunctionDeclaration(undefined, undefined, stepName, undefined, step.parameters, undefined, step.body);
    const brand = f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(runtime!, 'lowered'),
      undefined, [stepName, f.createIdentifier(fn.name!.text), ...extra]));
    return [entry, t.setTextRange(stepDecl, fn), t.setTextRange(brand, fn)];
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

  /** A coroutine nested in a lowered body: never a declaration with a shared step, so always one node. */
  const lowerNested = (node: ts.Node, outer: Renamed): ts.Node | undefined => {
    const result = lowerFunction(node, outer);
    assert(!Array.isArray(result), 'a nested coroutine lowered to several statements');
    return result;
  };

  const visit = (node: ts.Node, outer: Renamed): ts.Node | ts.Node[] => {
    if (isErased(t, node)) return node;
    if (t.isFunctionLike(node)) {
      const result = lowerFunction(node, outer);
      if (result !== undefined) return result;
    }
    return visitChildren(node, outer);
  };

  const result = visitChildren(file, noRenames) as ts.SourceFile;
  if (lowered === 0 || runtime === undefined) return result;
  return f.updateSourceFile(result, [runtimeImport(t, f, file, runtime, ctx.options.runtimeModule, compilerOptions), ...result.statements]);
}

/**
 * Whether a coroutine function can share one step function between its calls
 * (locals as fields, see fields.ts and runtime/lowered-coroutine.ts), which
 * needs the step outside the function, in the same scope:
 * - a function expression or a named declaration (not a method: its body may
 *   use `super`, which only the method itself can reach); a declaration only
 *   outside other coroutines (their bodies hold single declarations);
 * - plain parameters (identifiers, a rest identifier): their values are
 *   copied onto the machine, so no default may run code, and none of them
 *   is seen by a closure in the parameter list;
 * - an expression's own name not used in its body (the step could not see it),
 *   and no name inferred from its place (it moves into a call);
 * - no `arguments` in sloppy-mode code, where `arguments[i]` and the
 *   parameters are one binding (the copies on the machine would part them).
 */
function canShareStep(t: typeof ts, fn: ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration, topLevel: boolean,
  strictFile: boolean): boolean {
  if (!fn.parameters.every((p) => p.initializer === undefined && t.isIdentifier(p.name))) return false;
  if (!strictFile && fn.body !== undefined && !hasUseStrict(t, fn.body) && mentions(t, fn.body, 'arguments')) return false;
  if (t.isFunctionDeclaration(fn)) {
    return topLevel && fn.name !== undefined && (t.isSourceFile(fn.parent) || t.isBlock(fn.parent) || t.isModuleBlock(fn.parent));
  }
  if (!t.isFunctionExpression(fn)) return false;
  if (fn.name !== undefined) return !mentions(t, fn.body, fn.name.text);
  const parent = fn.parent;
  return parent !== undefined && t.isCallExpression(parent) && parent.arguments.includes(fn);
}

/**
 * How lowered code reaches the runtime: one namespace import in a module. A
 * script (no import or export) cannot get one (TypeScript would leave an
 * `import` there as it is), so it takes the global `gencoro` that the
 * gencoro/es5 bundle defines, or `require` where there is no such global.
 * [module]  import * as __gencoro from "gencoro";
 * [script]  var __gencoro = typeof gencoro !== "undefined" ? gencoro : require("gencoro");
 */
function runtimeImport(t: typeof ts, f: ts.NodeFactory, file: ts.SourceFile, runtime: ts.Identifier, moduleName: string,
  options: ts.CompilerOptions): ts.Statement {
  const load = f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(moduleName)]);
  // `module: preserve` leaves imports as written, and a .cts file is emitted as CommonJS: an `import`
  // added there would stay one. TypeScript turns the file's own `import x = require()` into this.
  if (t.ModuleKind.Preserve !== undefined && options.module === t.ModuleKind.Preserve && /\.c[jt]s$/.test(file.fileName)) {
    return f.createVariableStatement(undefined, f.createVariableDeclarationList(
      [f.createVariableDeclaration(runtime, undefined, undefined, load)], t.NodeFlags.Const));
  }
  if (t.isExternalModule(file)) {
    return f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(runtime)),
      f.createStringLiteral(moduleName));
  }
  const global = f.createIdentifier('gencoro');
  const value = f.createConditionalExpression(
    f.createStrictInequality(f.createTypeOfExpression(global), f.createStringLiteral('undefined')), undefined, global, undefined,
    load);
  return f.createVariableStatement(undefined, [f.createVariableDeclaration(runtime, undefined, undefined, value)]);
}

/** Code in `file` is strict: an ES module, `alwaysStrict` (or `strict`), or a "use strict" prologue. */
function isStrictFile(t: typeof ts, file: ts.SourceFile, options: ts.CompilerOptions): boolean {
  return t.isExternalModule(file) || (options.alwaysStrict ?? options.strict ?? false) || hasUseStrict(t, file);
}

/** Strict-mode code: a strict file, or inside a class or a function with "use strict" (this one or an enclosing one). */
function isStrictCode(t: typeof ts, fn: ts.Node, strictFile: boolean): boolean {
  if (strictFile) return true;
  for (let n: ts.Node | undefined = fn; n !== undefined; n = n.parent) {
    if (t.isClassLike(n)) return true;
    const body = t.isFunctionLike(n) ? (n as { body?: ts.Node }).body : undefined;
    if (body !== undefined && t.isBlock(body) && hasUseStrict(t, body)) return true;
  }
  return false;
}

function hasUseStrict(t: typeof ts, body: ts.SourceFile | ts.Block): boolean {
  for (const s of body.statements) {
    if (!t.isExpressionStatement(s) || !t.isStringLiteral(s.expression)) return false;
    if (s.expression.text === 'use strict') return true;
  }
  return false;
}

function mentions(t: typeof ts, node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isIdentifier(n) && n.text === name) found = true;
    else t.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function isGeneratorFunction(t: typeof ts, node: ts.Node): boolean {
  return (t.isFunctionExpression(node) || t.isFunctionDeclaration(node) || t.isMethodDeclaration(node)) &&
    node.asteriskToken !== undefined && !(node.modifiers?.some((m) => m.kind === t.SyntaxKind.AsyncKeyword) ?? false);
}

/**
 * The target TypeScript emits for: its own `getEmitScriptTarget` (exported at
 * run time, though not in the declarations), since the default depends on
 * `module` and on the version (ES5 in 5.x without a modern `module`, the
 * latest standard in 6.0); an unset target is taken as ES5 if it is missing.
 */
function emitTarget(t: typeof ts, options: ts.CompilerOptions): ts.ScriptTarget {
  const computed = (t as { getEmitScriptTarget?: (o: ts.CompilerOptions) => ts.ScriptTarget }).getEmitScriptTarget;
  return computed !== undefined ? computed(options) : options.target ?? t.ScriptTarget.ES5;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
