/**
 * Code that keeps its own shape inside a lowered body: statements and
 * expressions without a yield. They are emitted as written, with four
 * rewrites, because they now run inside the step function:
 *
 * - identifiers of hoisted, renamed bindings get their new names
 *   (`{ x }` becomes `{ x: x_1 }`);
 * - `var` declarations become assignments (the names are the outer function's);
 * - `arguments` becomes the outer function's alias (the step is an arrow);
 * - `break`/`continue` to a lowered loop, switch or label, and `return`,
 *   become jumps (through pending `finally` blocks).
 *
 * `this` and `super` need nothing: the step function is an arrow.
 */
import type * as ts from 'typescript';
import { assert, unsupported } from './diagnostics';
import { hasDecorators, isErased, isUsing, parentThroughOuter, skipOuterExpressions, updatePropertyAccess } from './analysis';
import { FunctionLowering } from './emitter';

/** Labels and loops inside the native statement itself: jumps to them stay native. */
interface NativeTargets {
  labels: string[];
  loops: number;
  breakables: number;
  /** Native try blocks with a finally around this point (a transfer out must be deferred). */
  finallies: number;
}

export function nativeStatement(L: FunctionLowering, node: ts.Statement): ts.Statement {
  return visitNative(L, node, { labels: [], loops: 0, breakables: 0, finallies: 0 }) as ts.Statement;
}

export function nativeExpression(L: FunctionLowering, node: ts.Expression): ts.Expression {
  return visitNative(L, node, { labels: [], loops: 0, breakables: 0, finallies: 0 }) as ts.Expression;
}

/** For a function declaration moved out of its place: only renames apply inside it (the caller wraps it). */
export function renamedOnly(L: FunctionLowering, node: ts.Node): ts.Node {
  return visitNative(L, node, { labels: [], loops: 0, breakables: 0, finallies: 0 }, true);
}

/**
 * Where a node sits: BODY (the coroutine body itself: every rewrite applies),
 * ARROW (inside an arrow function: only renames and `arguments`), OWN (inside
 * a nested function or class, with its own `arguments`: only renames).
 */
const BODY = 0;
const ARROW = 1;
const OWN = 2;

function visitNative(L: FunctionLowering, root: ts.Node, targets: NativeTargets, childrenOnly = false): ts.Node {
  const t = L.t;
  const f = L.f;
  const none: NativeTargets = { labels: [], loops: 0, breakables: 0, finallies: 0 };
  const visit = (node: ts.Node, level: number, tg: NativeTargets): ts.Node => {
    if (t.isIdentifier(node)) return identifier(L, node, level === OWN);
    if (isErased(t, node)) return node;
    if (t.isShorthandPropertyAssignment(node)) return shorthand(node, level);
    // A generator (or a method) is never called with `new`: its `new.target` is undefined. (The step
    // is another function, whose own `new.target` TypeScript's ES5 output would even rename.)
    if (t.isMetaProperty(node) && node.keywordToken === t.SyntaxKind.NewKeyword && level !== OWN) {
      return t.setTextRange(f.createVoidZero(), node);
    }
    if (t.isFunctionLike(node) || t.isClassLike(node)) return withBoxes(node, keepName(L, node, closure(node, level)));
    if (t.isObjectLiteralExpression(node) && L.hoisting.closureBoxes.has(node)) {
      return withBoxes(node, t.visitEachChild(node, (c) => visit(c, level, tg), undefined));
    }
    if (t.isPropertyAccessExpression(node)) {
      return updatePropertyAccess(f, t, node, visit(node.expression, level, tg) as ts.Expression);
    }
    if (t.isPropertyAssignment(node)) {
      const name = t.isComputedPropertyName(node.name) ? visit(node.name, level, tg) as ts.PropertyName : node.name;
      return f.updatePropertyAssignment(node, name, visit(node.initializer, level, tg) as ts.Expression);
    }
    if (t.isBindingElement(node)) return bindingElement(node, level, tg);
    if (t.isLabeledStatement(node)) {
      const inner = { ...tg, labels: [...tg.labels, node.label.text] };
      return f.updateLabeledStatement(node, node.label, visit(node.statement, level, inner) as ts.Statement);
    }
    if (level !== BODY) return t.visitEachChild(node, (c) => visit(c, level, tg), undefined);
    // From here on, rewrites that only apply to code of the coroutine body itself.
    if (t.isBreakOrContinueStatement(node)) return jump(node, level, tg);
    if (t.isReturnStatement(node)) {
      const value = node.expression ? visit(node.expression, level, tg) as ts.Expression : undefined;
      const route = L.returnRoute(value);
      return t.setTextRange(f.createBlock(tg.finallies > 0 ? L.routeTransfer(route) : L.routeStatements(route), false), node);
    }
    // Leaving a block that declares `using` runs its disposals: a finally, once TypeScript lowers it.
    if (disposes(t, node)) tg = { ...tg, finallies: tg.finallies + 1 };
    if (t.isTryStatement(node) && node.finallyBlock !== undefined) {
      const inner = { ...tg, finallies: tg.finallies + 1 };
      return f.updateTryStatement(node, visit(node.tryBlock, level, inner) as ts.Block,
        node.catchClause && visit(node.catchClause, level, inner) as ts.CatchClause,
        visit(node.finallyBlock, level, tg) as ts.Block);
    }
    if (t.isVariableStatement(node) && isVar(node.declarationList)) {
      const assignments = varAssignments(node.declarationList, level, tg);
      return assignments === undefined ? f.createEmptyStatement()
        : t.setTextRange(f.createExpressionStatement(assignments), node);
    }
    const loopTargets = { ...tg, loops: tg.loops + 1, breakables: tg.breakables + 1 };
    if (t.isForStatement(node) && node.initializer && t.isVariableDeclarationList(node.initializer) &&
        isVar(node.initializer)) {
      return f.updateForStatement(node, varAssignments(node.initializer, level, tg),
        node.condition && visit(node.condition, level, loopTargets) as ts.Expression,
        node.incrementor && visit(node.incrementor, level, loopTargets) as ts.Expression,
        visit(node.statement, level, loopTargets) as ts.Statement);
    }
    if ((t.isForInStatement(node) || t.isForOfStatement(node)) &&
        t.isVariableDeclarationList(node.initializer) && isVar(node.initializer)) {
      const decl = node.initializer.declarations[0];
      const target = patternToAssignmentTarget(L, decl.name, (n) => visit(n, level, tg));
      const expr = visit(node.expression, level, tg) as ts.Expression;
      const body = visit(node.statement, level, loopTargets) as ts.Statement;
      return t.isForInStatement(node) ? f.updateForInStatement(node, target, expr, body)
        : f.updateForOfStatement(node, node.awaitModifier, target, expr, body);
    }
    if (t.isIterationStatement(node, false)) return t.visitEachChild(node, (c) => visit(c, level, loopTargets), undefined);
    if (t.isSwitchStatement(node)) {
      return f.updateSwitchStatement(node, visit(node.expression, level, tg) as ts.Expression,
        t.visitEachChild(node.caseBlock, (c) => visit(c, level, { ...tg, breakables: tg.breakables + 1 }), undefined));
    }
    return t.visitEachChild(node, (c) => visit(c, level, tg), undefined);
  };

  /**
   * A nested function or class. Its decorators, computed names and `extends` clause run where it
   * is made, so `arguments` there is still the body's (`outer`); the rest runs inside it.
   */
  const closure = (node: ts.Node, level: number, outer = level): ts.Node => {
    const lowered = L.lowerNested(node, L.renamed);
    if (lowered !== undefined) return lowered;
    if (t.isClassLike(node)) return t.visitEachChild(node, (c) => classPart(c, level), undefined);
    const inner = t.isArrowFunction(node) ? (level === OWN ? OWN : ARROW) : OWN;
    return t.visitEachChild(node, (c) => visit(c, madeOutside(node, c) ? outer : inner, none), undefined);
  };

  /** A part of a class made at `level`: its `extends` and decorators run there, its members inside it. */
  const classPart = (c: ts.Node, level: number): ts.Node => {
    if (isErased(t, c)) return c;
    if (t.isHeritageClause(c) || t.isDecorator(c)) return visit(c, level, none);
    if (!t.isClassElement(c)) return visit(c, OWN, none);
    if (t.isFunctionLike(c)) return closure(c, OWN, level);
    return t.visitEachChild(c, (x) => visit(x, madeOutside(c, x) ? level : OWN, none), undefined);
  };

  const madeOutside = (owner: ts.Node, child: ts.Node): boolean =>
    t.isDecorator(child) || child === (owner as { name?: ts.Node }).name && t.isComputedPropertyName(child);

  /** A closure that uses per-iteration boxes keeps its own iteration's: `((b) => closure)(b)`. */
  const withBoxes = (original: ts.Node, visited: ts.Node): ts.Node => {
    if (!L.hoisting.closureBoxes.has(original)) return visited;
    if (t.isClassDeclaration(original) && t.isClassDeclaration(visited)) return boxedClassDeclaration(L, original, visited);
    if (!t.isExpression(visited)) {
      return unsupported(original, 'a declaration that captures a per-iteration binding of a loop containing a yield');
    }
    return keepIteration(L, original, visited);
  };

  const shorthand = (node: ts.ShorthandPropertyAssignment, level: number): ts.Node => {
    const renamed = L.renamed(node.name);
    const aliasArgs = node.name.text === 'arguments' && level !== OWN && L.argumentsAlias !== undefined;
    if (renamed === undefined && !aliasArgs) {
      // `({ v = p } = o)`: v stays, but the default p may be a renamed binding.
      const init = node.objectAssignmentInitializer;
      return init === undefined ? node
        : f.updateShorthandPropertyAssignment(node, node.name, visit(init, level, none) as ts.Expression);
    }
    const value = renamed ?? L.argumentsAlias!;
    const init = node.objectAssignmentInitializer;
    return t.setTextRange(f.createPropertyAssignment(node.name.text,
      init === undefined ? value : f.createAssignment(value, visit(init, level, none) as ts.Expression)), node);
  };

  const bindingElement = (node: ts.BindingElement, level: number, tg: NativeTargets): ts.Node => {
    let prop = node.propertyName && t.isComputedPropertyName(node.propertyName)
      ? visit(node.propertyName, level, tg) as ts.PropertyName : node.propertyName;
    let name = node.name;
    if (t.isIdentifier(name)) {
      const renamed = L.renamed(name);
      if (renamed !== undefined) {
        assert(t.isIdentifier(renamed), 'a boxed binding in a native binding pattern');
        if (prop === undefined && t.isObjectBindingPattern(node.parent)) prop = f.createIdentifier(name.text);
        name = renamed;
      }
    } else {
      name = visit(name, level, tg) as ts.BindingPattern;
    }
    return f.updateBindingElement(node, node.dotDotDotToken, prop, name,
      node.initializer && visit(node.initializer, level, tg) as ts.Expression);
  };

  const jump = (node: ts.BreakOrContinueStatement, level: number, tg: NativeTargets): ts.Node => {
    const isContinue = t.isContinueStatement(node);
    const label = node.label?.text;
    const local = label !== undefined ? tg.labels.includes(label) : (isContinue ? tg.loops > 0 : tg.breakables > 0);
    if (local) return node;
    // No target at all (or only one outside the closure it is in) is invalid code that JavaScript
    // refuses to load. Lowered, it would be valid code that jumps somewhere (or spins in the
    // dispatch loop), and without a Program nothing reports it: leave the coroutine as written.
    if (level !== BODY || L.findJumpBlock(isContinue, label) === undefined) return jumpWithoutTarget(node, isContinue);
    const route = L.breakOrContinueRoute(isContinue, label, node);
    return t.setTextRange(f.createBlock(tg.finallies > 0 ? L.routeTransfer(route) : L.routeStatements(route), false), node);
  };

  const varAssignments = (list: ts.VariableDeclarationList, level: number, tg: NativeTargets): ts.Expression | undefined => {
    const parts: ts.Expression[] = [];
    for (const d of list.declarations) {
      if (d.initializer === undefined) continue;
      const init = visit(d.initializer, level, tg) as ts.Expression;
      const target = patternToAssignmentTarget(L, d.name, (n) => visit(n, level, tg));
      parts.push(t.setTextRange(f.createAssignment(target, init), d));
    }
    if (parts.length === 0) return undefined;
    return parts.reduce((a, b) => f.createComma(a, b));
  };

  if (childrenOnly) return t.visitEachChild(root, (c) => visit(c, OWN, none), undefined);
  return visit(root, BODY, targets);
}

function jumpWithoutTarget(node: ts.BreakOrContinueStatement, isContinue: boolean): never {
  const label = node.label === undefined ? '' : ' ' + node.label.text;
  return unsupported(node, 'a `' + (isContinue ? 'continue' : 'break') + label + '` with no enclosing statement it can jump to');
}

/**
 * A block that declares `using`, or a loop whose head does: JavaScript disposes the resources when
 * control leaves it. (A `using` directly in a case clause is declined: hoist.ts.)
 */
function disposes(t: typeof ts, node: ts.Node): boolean {
  if (t.isBlock(node)) return node.statements.some((s) => isUsing(t, s));
  if (t.isForStatement(node) || t.isForOfStatement(node)) return isUsing(t, node.initializer);
  return false;
}

function isVar(list: ts.VariableDeclarationList): boolean {
  // NodeFlags.BlockScoped (7) = Let | Const | Using | AwaitUsing: anything else is `var`.
  return (list.flags & 7) === 0;
}

/**
 * An anonymous function, arrow or class that initializes a declared name
 * gets that name (`const cb = () => 1; cb.name === 'cb'`). When the binding is
 * hoisted, the lowered code assigns it to a renamed variable or a field, which
 * would name it `cb_1` or nothing, so the name is given by a property:
 * [source]   const cb = () => 1;
 * [lowered]  m.cb_1 = ({ cb: () => 1 }).cb;
 */
export function keepName(L: FunctionLowering, original: ts.Node, visited: ts.Node): ts.Node {
  const t = L.t;
  if (!isAnonymousFunction(t, original)) return visited;
  const name = namedBy(t, original);
  if (name === undefined) return visited;
  // Not renamed: inferred as written; unless it is a pattern's default, which a lowered pattern
  // assigns through a temporary.
  if (L.hoisting.lookup(name) === undefined && !isPatternDefault(t, original)) return visited;
  return named(L, visited as ts.Expression, L.f.createStringLiteral(name.text));
}

/** `({ [key]: value })[key]`: `value` gets the name `key` (NamedEvaluation), whatever it is assigned to later. */
export function named(L: FunctionLowering, value: ts.Expression, key: ts.Expression): ts.Expression {
  const f = L.f;
  const literalKey = L.t.isStringLiteral(key) && /^[A-Za-z_$][\w$]*$/.test(key.text);
  return literalKey
    ? f.createPropertyAccessExpression(f.createParenthesizedExpression(f.createObjectLiteralExpression(
      [f.createPropertyAssignment((key as ts.StringLiteral).text, value)])), (key as ts.StringLiteral).text)
    : f.createElementAccessExpression(f.createParenthesizedExpression(f.createObjectLiteralExpression(
      [f.createPropertyAssignment(f.createComputedPropertyName(key), value)])), key);
}

/** An arrow, or a function or class expression without a name of its own. */
export function isAnonymousFunction(t: typeof ts, node: ts.Node): boolean {
  return t.isArrowFunction(node) || ((t.isFunctionExpression(node) || t.isClassExpression(node)) && node.name === undefined);
}

function isPatternDefault(t: typeof ts, fn: ts.Node): boolean {
  const parent = parentThroughOuter(t, fn);
  if (parent === undefined) return false;
  if (t.isBindingElement(parent) || t.isShorthandPropertyAssignment(parent)) return true;
  // `[x = fn] = ...`, `({ a: x = fn } = ...)`: an assignment inside an array or object literal pattern.
  return t.isBinaryExpression(parent) && parent.operatorToken.kind === t.SyntaxKind.EqualsToken &&
    (t.isArrayLiteralExpression(parent.parent) || t.isPropertyAssignment(parent.parent));
}

/**
 * The identifier whose name an anonymous function `fn` gets (NamedEvaluation):
 * `x = fn`, `x ||= fn` (and `&&=`, `??=`), `const x = fn`, and a default in a
 * pattern (`{ x = fn }`, `[x = fn]`); parentheses and type assertions around `fn` do not matter
 * (TypeScript erases the assertions, so the output names it).
 */
function namedBy(t: typeof ts, fn: ts.Node): ts.Identifier | undefined {
  const parent = parentThroughOuter(t, fn);
  if (parent === undefined) return undefined;
  const K = t.SyntaxKind;
  let name: ts.Node | undefined;
  let value: ts.Node | undefined;
  if (t.isVariableDeclaration(parent) || t.isBindingElement(parent)) {
    name = parent.name;
    value = parent.initializer;
  } else if (t.isShorthandPropertyAssignment(parent)) {
    name = parent.name;
    value = parent.objectAssignmentInitializer;
  } else if (t.isBinaryExpression(parent) && [K.EqualsToken, K.BarBarEqualsToken, K.AmpersandAmpersandEqualsToken,
    K.QuestionQuestionEqualsToken].includes(parent.operatorToken.kind)) {
    name = parent.left;
    value = parent.right;
  }
  if (name === undefined || value === undefined || !t.isIdentifier(name)) return undefined;
  return skipOuterExpressions(t, value as ts.Expression) === fn ? name : undefined;
}

/**
 * `expr` made from the closure `original` (a function, class or object
 * literal of the body): if it captures per-iteration boxes (hoist.ts), it is
 * wrapped as `((b1, b2) => expr)(b1, b2)`, so it keeps this iteration's.
 */
export function keepIteration(L: FunctionLowering, original: ts.Node, expr: ts.Expression): ts.Expression {
  const boxes = L.hoisting.closureBoxes.get(original);
  if (boxes === undefined) return expr;
  const f = L.f;
  const ids = [...boxes].map((b) => b.id);
  const params = ids.map((b) => f.createParameterDeclaration(undefined, undefined, b));
  const arrow = f.createArrowFunction(undefined, undefined, params, undefined,
    f.createToken(L.t.SyntaxKind.EqualsGreaterThanToken), expr);
  return f.createCallExpression(f.createParenthesizedExpression(arrow), undefined, ids);
}

/**
 * A class made by a declaration, as a value: `(() => { class K {...} return K; })()`.
 * Declared, not a class expression: TypeScript's class-fields pass keeps a
 * declared class's references to its own name in static initializers and
 * static blocks (a class expression's it leaves pointing nowhere).
 * `declaration` must have a fresh name node (created, not the source's): the
 * `return` names it, and TypeScript's ES5 output never renames either.
 */
export function classValue(L: FunctionLowering, declaration: ts.ClassDeclaration): ts.Expression {
  const t = L.t;
  const f = L.f;
  assert(declaration.name !== undefined, 'a class value needs a named declaration');
  if (L.hoisting.options.blockScopesAreVars && hasDecorators(t, declaration)) {
    // TypeScript's ES5 output of such a class rewrites only some of its references to itself (measured:
    // `C.#p` in a static block and `C.x` in a method stay `C`), so they see the wrong binding.
    return unsupported(t.getOriginalNode(declaration), 'with an ES5 target, a decorated class declaration in the body of a coroutine');
  }
  const arrow = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(t.SyntaxKind.EqualsGreaterThanToken),
    f.createBlock([declaration, f.createReturnStatement(f.createIdentifier(t.idText(declaration.name)))], true));
  return f.createCallExpression(f.createParenthesizedExpression(arrow), undefined, []);
}

/**
 * A class declaration in yield-free code that captures a per-iteration binding
 * of a lowered loop: the class must keep the box of the iteration it was made
 * in, so it is made inside the per-iteration wrapper and bound by `let` (a
 * class declaration's binding is a mutable, block-scoped one in its TDZ until
 * the declaration runs: the same).
 * [source]   for (const x of xs) { yield a; { class K { m() { return x; } } use(K); } }
 * [lowered]  { let K = ((b_1) => (() => { class K { m() { return b_1.x; } } return K; })())(m.b_1); use(K); }
 */
function boxedClassDeclaration(L: FunctionLowering, original: ts.ClassDeclaration, visited: ts.ClassDeclaration): ts.Statement {
  const t = L.t;
  const f = L.f;
  if (original.name === undefined) return unsupported(original, 'a class declaration without a name');
  // The class body's references to its own name stay the source's, which the ES5 output leaves to the
  // class. The `let` gets the source's name node, so where the ES5 output renames the class binding
  // (K -> K_1), it renames this binding and every reference to it alike.
  const inner = f.updateClassDeclaration(visited, visited.modifiers, f.createIdentifier(t.idText(original.name)),
    visited.typeParameters, visited.heritageClauses, visited.members);
  return t.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList(
    [f.createVariableDeclaration(original.name, undefined, undefined, keepIteration(L, original, classValue(L, inner)))],
    t.NodeFlags.Let)), original);
}

/** What to print for an identifier: renamed or boxed, `arguments` aliased, or as written. */
export function identifier(L: FunctionLowering, node: ts.Identifier, inOwnFunction: boolean): ts.Expression {
  const renamed = L.renamed(node);
  if (renamed !== undefined) return renamed; // unique names print by node identity: the node is reused
  if (node.text === 'arguments' && !inOwnFunction && L.argumentsAlias !== undefined && isValueReference(L, node)) {
    return L.argumentsAlias;
  }
  return node;
}

function isValueReference(L: FunctionLowering, node: ts.Identifier): boolean {
  const t = L.t;
  const p = node.parent;
  if (p === undefined) return true;
  if (t.isPropertyAccessExpression(p) && p.name === node) return false;
  if ((t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p)) && p.name === node) return false;
  return true;
}

/** `{ a, b: [c] = d }` as a binding pattern, turned into the same assignment pattern (for hoisted names). */
export function patternToAssignmentTarget(L: FunctionLowering, pattern: ts.BindingName,
  visitExpr: (n: ts.Node) => ts.Node): ts.Expression {
  const t = L.t;
  const f = L.f;
  if (t.isIdentifier(pattern)) return identifier(L, pattern, false);
  if (t.isObjectBindingPattern(pattern)) {
    const props = pattern.elements.map((e): ts.ObjectLiteralElementLike => {
      const target = withDefault(patternToAssignmentTarget(L, e.name, visitExpr), e.initializer);
      if (e.dotDotDotToken) return f.createSpreadAssignment(target);
      const key = e.propertyName
        ? (t.isComputedPropertyName(e.propertyName) ? visitExpr(e.propertyName) as ts.PropertyName : e.propertyName)
        : f.createIdentifier((e.name as ts.Identifier).text);
      return f.createPropertyAssignment(key, target);
    });
    return f.createObjectLiteralExpression(props, false);
  }
  const elements = pattern.elements.map((e): ts.Expression => {
    if (t.isOmittedExpression(e)) return f.createOmittedExpression();
    const target = withDefault(patternToAssignmentTarget(L, e.name, visitExpr), e.initializer);
    return e.dotDotDotToken ? f.createSpreadElement(target) : target;
  });
  return f.createArrayLiteralExpression(elements, false);

  function withDefault(target: ts.Expression, init: ts.Expression | undefined): ts.Expression {
    return init === undefined ? target : f.createAssignment(target, visitExpr(init) as ts.Expression);
  }
}
