/**
 * Expressions that contain a yield. Each `lower*` function emits the
 * statements that must run before the expression's value exists and returns
 * an expression for that value, keeping JavaScript's evaluation order: any
 * operand evaluated before a later yield is first stored in a temporary
 * ("spilled"), since the program may change it while the coroutine is
 * suspended. Expressions without a yield go through native.ts unchanged.
 *
 * [source]   x = a * (yield f())
 * [lowered]  t_1 = a; m.s = 1; return f();
 *            case 1: x = t_1 * value;
 */
import type * as ts from 'typescript';
import { isConstant, skipOuterExpressions } from './analysis';
import { unsupported } from './diagnostics';
import { FunctionLowering } from './emitter';
import { identifier, keepIteration, keepName, nativeExpression } from './native';
import { lowerDestructuring } from './destructuring';
import { lowerArrayLiteral, lowerClass, lowerObjectLiteral, lowerTaggedTemplate, lowerTemplate } from './literals';

export function lowerExpression(L: FunctionLowering, node: ts.Expression): ts.Expression {
  const t = L.t;
  if (!L.analysis.containsYield(node)) return nativeExpression(L, node);
  if (t.isParenthesizedExpression(node) || t.isAsExpression(node) || t.isTypeAssertionExpression(node) ||
      t.isNonNullExpression(node) || t.isSatisfiesExpression(node)) {
    return lowerExpression(L, node.expression);
  }
  if (t.isYieldExpression(node)) return lowerYield(L, node);
  if ((node.flags & t.NodeFlags.OptionalChain) !== 0) return lowerOptionalChain(L, node);
  if (t.isBinaryExpression(node)) return lowerBinary(L, node);
  if (t.isConditionalExpression(node)) return lowerConditional(L, node);
  if (t.isCallExpression(node)) return lowerCall(L, node);
  if (t.isNewExpression(node)) return lowerNew(L, node);
  if (t.isPropertyAccessExpression(node)) return lowerPropertyAccess(L, node);
  if (t.isElementAccessExpression(node)) return lowerElementAccess(L, node);
  if (t.isArrayLiteralExpression(node)) return lowerArrayLiteral(L, node);
  if (t.isObjectLiteralExpression(node)) return lowerObjectLiteral(L, node);
  if (t.isTemplateExpression(node)) return lowerTemplate(L, node);
  if (t.isPrefixUnaryExpression(node) || t.isPostfixUnaryExpression(node)) return lowerUpdateOrUnary(L, node);
  if (t.isTypeOfExpression(node)) return L.f.createTypeOfExpression(lowerExpression(L, node.expression));
  if (t.isVoidExpression(node)) return L.f.createVoidExpression(lowerExpression(L, node.expression));
  if (t.isDeleteExpression(node)) return lowerDelete(L, node);
  if (t.isTaggedTemplateExpression(node)) return lowerTaggedTemplate(L, node);
  if ((node.flags & t.NodeFlags.OptionalChain) !== 0) return lowerOptionalChain(L, node);
  if (t.isClassExpression(node)) return keepIteration(L, node, keepName(L, node, lowerClass(L, node)) as ts.Expression);
  return unsupported(node, describeKind(L, node) + ' containing a yield');
}

/** Evaluates `node` for its effects only (an expression statement). */
export function lowerExpressionStatement(L: FunctionLowering, node: ts.Expression, original: ts.Node): void {
  const value = lowerExpression(L, node);
  if (!isPure(L, value)) L.emit(L.t.setTextRange(L.f.createExpressionStatement(value), original));
}

/** The value of `expr`, frozen now: a temporary unless it cannot change. */
export function spill(L: FunctionLowering, expr: ts.Expression): ts.Expression {
  if (isConstant(L.t, expr) || (L.t.isIdentifier(expr) && L.temps.includes(expr))) return expr;
  const temp = L.newTemp();
  // Positioned at the value (where a debugger pauses, what a stack names), when it has a position.
  const assignment = L.assign(temp, expr);
  L.emit(expr.pos >= 0 ? L.t.setTextRange(assignment, expr) : assignment);
  return temp;
}

/** Lowers `nodes` in order; every value is spilled if a later one contains a yield. */
export function lowerInOrder<N extends ts.Node, R>(L: FunctionLowering, nodes: readonly N[],
  lowerOne: (node: N, mustSpill: boolean) => R): R[] {
  let lastYield = -1;
  nodes.forEach((n, i) => { if (L.analysis.containsYield(n)) lastYield = i; });
  return nodes.map((n, i) => lowerOne(n, i < lastYield));
}

function lowerYield(L: FunctionLowering, node: ts.YieldExpression): ts.Expression {
  const t = L.t;
  if (node.asteriskToken === undefined) {
    const operand = node.expression ? lowerExpression(L, node.expression) : undefined;
    return L.emitYield(operand, node);
  }
  const operand = node.expression!;
  // `yield* wait(x)` is gencoro's typed yield: a plain yield point.
  if (t.isCallExpression(operand) && operand.arguments.length === 1 && L.waitNames(operand.expression) &&
      !t.isSpreadElement(operand.arguments[0])) {
    return L.emitYield(lowerExpression(L, operand.arguments[0]), node);
  }
  return lowerDelegation(L, node, lowerExpression(L, operand));
}

/**
 * `yield* iterable`: drive the inner iterator, forwarding next/throw/return.
 * [lowered]  it = iterate(x); r = it.next(undefined);
 *            L1: if (r.done) goto L3; m.d = true; m.s = L2; return m._driven === true ? r.value : r;
 *            L2: m.d = false; r = delegate(m, it, mode, value);
 *                if (r === null) <return m.cv through finally blocks>; goto L1;
 *            L3: ... r.value
 */
function lowerDelegation(L: FunctionLowering, node: ts.YieldExpression, iterable: ts.Expression): ts.Expression {
  const f = L.f;
  L.needsRegisters = true;
  const it = L.newTemp('it');
  const r = L.newTemp('r');
  L.emitAt(L.assign(it, L.runtimeCall('iterate', [iterable])), node);
  // The first `next` gets one argument, undefined, as JavaScript passes it.
  L.emitAt(L.assign(r, f.createCallExpression(f.createPropertyAccessExpression(it, 'next'), undefined, [f.createVoidZero()])), node);
  const head = L.defineLabel();
  const resume = L.defineLabel();
  const end = L.defineLabel();
  L.markLabel(head);
  L.emit(f.createIfStatement(f.createPropertyAccessExpression(r, 'done'), f.createBlock(L.goto(end))));
  L.emit(L.assign(L.field('d'), f.createTrue()));
  // A LoweredCoroutine (`_driven`) wants the value; a generator object passes the inner result on as it is.
  const ret = f.createReturnStatement(f.createConditionalExpression(
    f.createStrictEquality(f.createPropertyAccessExpression(L.m, '_driven'), f.createTrue()), undefined,
    f.createPropertyAccessExpression(r, 'value'), undefined, r));
  L.t.setTextRange(ret, node);
  L.emitTerminal([L.assign(L.field('s'), L.num(resume)), ret]);
  L.markLabel(resume);
  L.emit(L.assign(L.field('d'), f.createFalse()));
  L.emit(L.assign(r, L.runtimeCall('delegate', [L.m, it, L.mode, L.value])));
  const returned = L.newTemp('v');
  L.emit(f.createIfStatement(f.createStrictEquality(r, f.createNull()), f.createBlock([
    L.assign(returned, L.field('cv')),
    L.assign(L.field('ck'), L.num(0)),
    L.assign(L.field('cv'), f.createVoidZero()),
    ...L.returnStatements(returned),
  ])));
  L.emitTerminal(L.goto(head));
  L.markLabel(end);
  return f.createPropertyAccessExpression(r, 'value');
}

function lowerBinary(L: FunctionLowering, node: ts.BinaryExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const op = node.operatorToken.kind;
  const K = t.SyntaxKind;
  if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
    return lowerLogical(L, node.left, op, node.right);
  }
  if (op === K.CommaToken) {
    lowerExpressionStatement(L, node.left, node.left);
    return lowerExpression(L, node.right);
  }
  if (op === K.EqualsToken) return lowerAssignment(L, node);
  if (op >= K.FirstCompoundAssignment && op <= K.LastCompoundAssignment) {
    if (op === K.AmpersandAmpersandEqualsToken || op === K.BarBarEqualsToken || op === K.QuestionQuestionEqualsToken) {
      return lowerLogicalAssignment(L, node);
    }
    return lowerCompoundAssignment(L, node);
  }
  let left = lowerExpression(L, node.left);
  // `#x in o`: the private name is not a value (nothing to evaluate, nothing to spill).
  if (L.analysis.containsYield(node.right) && !t.isPrivateIdentifier(node.left)) left = spill(L, left);
  return f.createBinaryExpression(left, node.operatorToken, lowerExpression(L, node.right));
}

/** The test that skips the right side of `&&`, `||`, `??` (and their assignment forms). */
function shortCircuits(L: FunctionLowering, op: ts.SyntaxKind, value: ts.Expression): ts.Expression {
  const f = L.f;
  const K = L.t.SyntaxKind;
  if (op === K.AmpersandAmpersandToken || op === K.AmpersandAmpersandEqualsToken) return f.createLogicalNot(value);
  if (op === K.BarBarToken || op === K.BarBarEqualsToken) return value;
  return f.createLogicalAnd(f.createStrictInequality(value, f.createNull()), f.createStrictInequality(value, f.createVoidZero()));
}

/**
 * [source]   x.p ||= yield v
 * [lowered]  o = x; r = o.p; if (r) goto END; m.s = 1; return v; case 1: r = o.p = value; END:
 */
function lowerLogicalAssignment(L: FunctionLowering, node: ts.BinaryExpression): ts.Expression {
  const f = L.f;
  const target = lowerTarget(L, node.left, true);
  const result = L.newTemp();
  const end = L.defineLabel();
  L.emit(L.assign(result, target));
  L.emit(f.createIfStatement(shortCircuits(L, node.operatorToken.kind, result), f.createBlock(L.goto(end))));
  L.emit(L.assign(result, f.createAssignment(target as ts.LeftHandSideExpression, lowerExpression(L, node.right))));
  L.markLabel(end);
  return result;
}

/** `a && b`, `a || b`, `a ?? b` with a yield on the right: a jump over the right side. */
function lowerLogical(L: FunctionLowering, leftNode: ts.Expression, op: ts.SyntaxKind,
  rightNode: ts.Expression): ts.Expression {
  const f = L.f;
  const left = lowerExpression(L, leftNode);
  if (!L.analysis.containsYield(rightNode)) {
    return f.createBinaryExpression(left, op as ts.BinaryOperator, nativeExpression(L, rightNode));
  }
  const result = L.newTemp();
  const end = L.defineLabel();
  L.emit(L.assign(result, left));
  L.emit(f.createIfStatement(shortCircuits(L, op, result), f.createBlock(L.goto(end))));
  L.emit(L.assign(result, lowerExpression(L, rightNode)));
  L.markLabel(end);
  return result;
}

function lowerConditional(L: FunctionLowering, node: ts.ConditionalExpression): ts.Expression {
  const f = L.f;
  const condition = lowerExpression(L, node.condition);
  if (!L.analysis.containsYield(node.whenTrue) && !L.analysis.containsYield(node.whenFalse)) {
    return f.createConditionalExpression(condition, undefined, nativeExpression(L, node.whenTrue), undefined,
      nativeExpression(L, node.whenFalse));
  }
  const result = L.newTemp();
  const otherwise = L.defineLabel();
  const end = L.defineLabel();
  L.emit(L.t.setTextRange(f.createIfStatement(f.createLogicalNot(condition), f.createBlock(L.goto(otherwise))), node.condition));
  L.emit(L.assign(result, lowerExpression(L, node.whenTrue)));
  L.emitTerminal(L.goto(end));
  L.markLabel(otherwise);
  L.emit(L.assign(result, lowerExpression(L, node.whenFalse)));
  L.markLabel(end);
  return result;
}

/**
 * An assignment target evaluated up to (not including) the store: its object
 * and key are spilled when the value to store contains a yield.
 */
export function lowerTarget(L: FunctionLowering, target: ts.Expression, mustSpill: boolean): ts.Expression {
  const t = L.t;
  const f = L.f;
  if (t.isParenthesizedExpression(target) || t.isNonNullExpression(target) || t.isAsExpression(target) ||
      t.isTypeAssertionExpression(target) || t.isSatisfiesExpression(target)) {
    return lowerTarget(L, target.expression, mustSpill);
  }
  if (t.isIdentifier(target)) return identifier(L, target, false);
  if (t.isPropertyAccessExpression(target)) {
    if (target.expression.kind === t.SyntaxKind.SuperKeyword) return target;
    let object = lowerExpression(L, target.expression);
    if (mustSpill) object = spill(L, object);
    return f.createPropertyAccessExpression(object, target.name);
  }
  if (t.isElementAccessExpression(target)) {
    const keyHasYield = L.analysis.containsYield(target.argumentExpression);
    const isSuper = target.expression.kind === t.SyntaxKind.SuperKeyword;
    let object = isSuper ? target.expression : lowerExpression(L, target.expression);
    if ((mustSpill || keyHasYield) && !isSuper) object = spill(L, object);
    let key = lowerExpression(L, target.argumentExpression);
    if (mustSpill) key = spill(L, key);
    return f.createElementAccessExpression(object, key);
  }
  return nativeExpression(L, target);
}

function lowerAssignment(L: FunctionLowering, node: ts.BinaryExpression): ts.Expression {
  const t = L.t;
  const left = skipOuter(L, node.left);
  if ((t.isObjectLiteralExpression(left) || t.isArrayLiteralExpression(left)) && L.analysis.containsYield(left)) {
    // The value of a destructuring assignment is its right side.
    const value = spill(L, lowerExpression(L, node.right));
    lowerDestructuring(L, left, value);
    return value;
  }
  const target = lowerTarget(L, node.left, L.analysis.containsYield(node.right));
  return L.f.createAssignment(target as ts.LeftHandSideExpression, lowerExpression(L, node.right));
}

/** `x op= e`: the old value of `x` is read before `e` is evaluated. */
function lowerCompoundAssignment(L: FunctionLowering, node: ts.BinaryExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const rightHasYield = L.analysis.containsYield(node.right);
  const target = lowerTarget(L, node.left, rightHasYield);
  if (!rightHasYield) return f.createBinaryExpression(target, node.operatorToken, lowerExpression(L, node.right));
  const old = spill(L, target);
  const op = binaryOperatorOf(t, node.operatorToken.kind);
  return f.createAssignment(target as ts.LeftHandSideExpression,
    f.createBinaryExpression(old, op, lowerExpression(L, node.right)));
}

function binaryOperatorOf(t: typeof ts, compound: ts.SyntaxKind): ts.BinaryOperator {
  const K = t.SyntaxKind;
  const table: Partial<Record<ts.SyntaxKind, ts.BinaryOperator>> = {
    [K.PlusEqualsToken]: K.PlusToken, [K.MinusEqualsToken]: K.MinusToken,
    [K.AsteriskEqualsToken]: K.AsteriskToken, [K.AsteriskAsteriskEqualsToken]: K.AsteriskAsteriskToken,
    [K.SlashEqualsToken]: K.SlashToken, [K.PercentEqualsToken]: K.PercentToken,
    [K.LessThanLessThanEqualsToken]: K.LessThanLessThanToken,
    [K.GreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanToken,
    [K.GreaterThanGreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanGreaterThanToken,
    [K.AmpersandEqualsToken]: K.AmpersandToken, [K.BarEqualsToken]: K.BarToken, [K.CaretEqualsToken]: K.CaretToken,
  };
  const op = table[compound];
  if (op === undefined) throw new Error('gencoro internal error: no binary operator for ' + K[compound]);
  return op;
}

/** Arguments in order; a spread argument before a yield is copied into an array first. */
export function lowerArguments(L: FunctionLowering, args: readonly ts.Expression[]): ts.Expression[] {
  const f = L.f;
  return lowerInOrder(L, args, (arg, mustSpill) => {
    if (L.t.isSpreadElement(arg)) {
      const inner = lowerExpression(L, arg.expression);
      return f.createSpreadElement(mustSpill ? spill(L, f.createArrayLiteralExpression([f.createSpreadElement(inner)])) : inner);
    }
    const value = lowerExpression(L, arg);
    return mustSpill ? spill(L, value) : value;
  });
}

function lowerCall(L: FunctionLowering, node: ts.CallExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  if (node.questionDotToken !== undefined || (node.flags & t.NodeFlags.OptionalChain) !== 0) {
    return unsupported(node, 'an optional call (?.) containing a yield');
  }
  const argsHaveYield = node.arguments.some((a) => L.analysis.containsYield(a));
  const callee = node.expression;
  if (!argsHaveYield) {
    return f.updateCallExpression(node, lowerCallee(L, callee), node.typeArguments, node.arguments.map((a) => nativeExpression(L, a)));
  }
  if (callee.kind === t.SyntaxKind.SuperKeyword || callee.kind === t.SyntaxKind.ImportKeyword) {
    return unsupported(node, 'a super() or import() call with a yield in its arguments');
  }
  const stripped = skipOuter(L, callee);
  if (t.isPropertyAccessExpression(stripped) || t.isElementAccessExpression(stripped)) {
    // Read the method before the arguments (as JavaScript does), then call it with its object.
    const isSuper = stripped.expression.kind === t.SyntaxKind.SuperKeyword;
    const object = isSuper ? f.createThis() : spill(L, lowerExpression(L, stripped.expression));
    const base = isSuper ? stripped.expression as ts.Expression : object;
    const fn = spill(L, t.isPropertyAccessExpression(stripped)
      ? f.createPropertyAccessExpression(base, stripped.name)
      : f.createElementAccessExpression(base, lowerExpression(L, stripped.argumentExpression)));
    const args = lowerArguments(L, node.arguments);
    const method = t.setTextRange(f.createPropertyAccessExpression(fn, t.setTextRange(f.createIdentifier('call'), t.isPropertyAccessExpression(stripped) ? stripped.name : stripped.argumentExpression)), stripped);
    return t.setTextRange(f.createCallExpression(method, undefined, [object, ...args]), node);
  }
  const fn = spill(L, lowerExpression(L, callee));
  return t.setTextRange(f.createCallExpression(fn, undefined, lowerArguments(L, node.arguments)), node);
}

/** A callee whose own evaluation contains a yield (its arguments do not). */
function lowerCallee(L: FunctionLowering, callee: ts.LeftHandSideExpression): ts.LeftHandSideExpression {
  const t = L.t;
  const stripped = skipOuter(L, callee);
  if (t.isPropertyAccessExpression(stripped)) {
    return L.f.createPropertyAccessExpression(lowerExpression(L, stripped.expression), stripped.name);
  }
  if (t.isElementAccessExpression(stripped)) return lowerElementAccess(L, stripped) as ts.LeftHandSideExpression;
  const value = lowerExpression(L, callee);
  // `(0, f)()`-style: a lowered callee is a plain value, so `this` stays undefined as for `f()`.
  return L.t.isIdentifier(value) ? value : L.f.createParenthesizedExpression(value);
}

export function skipOuter(L: FunctionLowering, node: ts.Expression): ts.Expression {
  return skipOuterExpressions(L.t, node);
}

function lowerNew(L: FunctionLowering, node: ts.NewExpression): ts.Expression {
  const f = L.f;
  const args = node.arguments ?? [];
  let ctor = lowerExpression(L, node.expression);
  if (args.some((a) => L.analysis.containsYield(a))) ctor = spill(L, ctor);
  return L.t.setTextRange(f.createNewExpression(ctor, node.typeArguments, lowerArguments(L, args)), node);
}

function lowerPropertyAccess(L: FunctionLowering, node: ts.PropertyAccessExpression): ts.Expression {
  if (node.questionDotToken !== undefined || (node.flags & L.t.NodeFlags.OptionalChain) !== 0) {
    return unsupported(node, 'optional chaining (?.) containing a yield');
  }
  return L.f.createPropertyAccessExpression(lowerExpression(L, node.expression), node.name);
}

function lowerElementAccess(L: FunctionLowering, node: ts.ElementAccessExpression): ts.Expression {
  if (node.questionDotToken !== undefined || (node.flags & L.t.NodeFlags.OptionalChain) !== 0) {
    return unsupported(node, 'optional chaining (?.) containing a yield');
  }
  const isSuper = node.expression.kind === L.t.SyntaxKind.SuperKeyword;
  let object = isSuper ? node.expression : lowerExpression(L, node.expression);
  if (L.analysis.containsYield(node.argumentExpression) && !isSuper) object = spill(L, object);
  return L.f.createElementAccessExpression(object, lowerExpression(L, node.argumentExpression));
}

/**
 * An optional chain with a yield: each link runs in order on a temporary,
 * and a `?.` on null or undefined skips the rest of the chain.
 * [source]   a?.b.c(yield x)
 * [lowered]  v = a; if (v == null) { r = undefined; goto END } o = v; v = o.b; o = v; v = o.c;
 *            ...yield...; v = v.call(o, value); r = v; END:
 */
function lowerOptionalChain(L: FunctionLowering, node: ts.Expression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const links: ts.Expression[] = [];
  let root: ts.Expression = node;
  while ((root.flags & t.NodeFlags.OptionalChain) !== 0 &&
    (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root) || t.isCallExpression(root) || t.isNonNullExpression(root))) {
    links.unshift(root);
    root = root.expression;
  }
  const result = L.newTemp();
  const value = L.newTemp('v');
  const self = L.newTemp('o');
  const end = L.defineLabel();
  const callee = skipOuter(L, root);
  if (links.length > 0 && t.isCallExpression(links[0]) && (t.isPropertyAccessExpression(callee) || t.isElementAccessExpression(callee))) {
    // `a.b?.(x)`: the call's `this` is `a`, as for `a.b(x)`.
    const isSuper = callee.expression.kind === t.SyntaxKind.SuperKeyword;
    L.emit(L.assign(self, isSuper ? f.createThis() : lowerExpression(L, callee.expression)));
    const base = isSuper ? callee.expression : self;
    L.emit(L.assign(value, t.isPropertyAccessExpression(callee) ? f.createPropertyAccessExpression(base, callee.name)
      : f.createElementAccessExpression(base, lowerExpression(L, callee.argumentExpression))));
  } else {
    L.emit(L.assign(value, lowerExpression(L, root)));
    L.emit(L.assign(self, f.createVoidZero()));
  }
  for (const link of links) {
    if (t.isNonNullExpression(link)) continue;
    const questionDot = (link as ts.PropertyAccessExpression).questionDotToken !== undefined;
    if (questionDot) {
      L.emit(f.createIfStatement(f.createLogicalOr(f.createStrictEquality(value, f.createNull()),
        f.createStrictEquality(value, f.createVoidZero())),
      f.createBlock([L.assign(result, f.createVoidZero()), ...L.goto(end)])));
    }
    if (t.isPropertyAccessExpression(link)) {
      L.emit(L.assign(self, value));
      L.emit(L.assign(value, f.createPropertyAccessExpression(self, link.name)));
    } else if (t.isElementAccessExpression(link)) {
      L.emit(L.assign(self, value));
      L.emit(L.assign(value, f.createElementAccessExpression(self, lowerExpression(L, link.argumentExpression))));
    } else {
      const call = link as ts.CallExpression;
      const args = lowerArguments(L, call.arguments);
      L.emit(L.assign(value, f.createCallExpression(f.createPropertyAccessExpression(value, 'call'), undefined, [self, ...args])));
      L.emit(L.assign(self, f.createVoidZero()));
    }
  }
  L.emit(L.assign(result, value));
  L.markLabel(end);
  return result;
}

function lowerUpdateOrUnary(L: FunctionLowering, node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const K = t.SyntaxKind;
  const isUpdate = node.operator === K.PlusPlusToken || node.operator === K.MinusMinusToken;
  const operand = isUpdate ? lowerTarget(L, node.operand, false) : lowerExpression(L, node.operand);
  return t.isPrefixUnaryExpression(node)
    ? f.createPrefixUnaryExpression(node.operator, operand as ts.UnaryExpression)
    : f.createPostfixUnaryExpression(operand as ts.LeftHandSideExpression, node.operator);
}

function lowerDelete(L: FunctionLowering, node: ts.DeleteExpression): ts.Expression {
  const t = L.t;
  const inner = skipOuter(L, node.expression);
  if ((inner.flags & t.NodeFlags.OptionalChain) !== 0) {
    return unsupported(node, '`delete` of an optional chain (?.) containing a yield');
  }
  if (t.isPropertyAccessExpression(inner) || t.isElementAccessExpression(inner)) {
    return L.f.createDeleteExpression(lowerTarget(L, inner, false) as ts.UnaryExpression);
  }
  // `delete <not a reference>` evaluates its operand and gives true.
  return L.f.createComma(lowerExpression(L, node.expression), L.f.createTrue());
}

/** True if evaluating `expr` has no effect (so its statement can be dropped): our own names and constants. */
function isPure(L: FunctionLowering, expr: ts.Expression): boolean {
  return expr === L.value || (L.t.isIdentifier(expr) && L.temps.includes(expr)) || isConstant(L.t, expr);
}

function describeKind(L: FunctionLowering, node: ts.Node): string {
  const name = L.t.SyntaxKind[node.kind];
  return 'a ' + name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
