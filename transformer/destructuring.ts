/**
 * Destructuring that contains a yield (in a default value, a computed key or
 * an assignment target), spelled out step by step so each part runs in
 * JavaScript's order: for an object pattern, per property the target
 * reference (assignment patterns), then the value, then the default if it is
 * undefined; an array pattern steps an iterator and closes it if it is left
 * early (the yield inside may be where it is left).
 * Patterns without a yield stay native destructuring.
 *
 * [source]   const { a = yield f(), ...rest } = o;
 * [lowered]  t_1 = o; destructurable(t_1); t_2 = t_1.a;
 *            if (t_2 === undefined) { m.s = 1; return f(); case 1: t_2 = value; }
 *            a = t_2; rest = objectRest(t_1, ["a"]);
 */
import type * as ts from 'typescript';
import { unsupported } from './diagnostics';
import { Completion, FunctionLowering } from './emitter';
import { lowerExpression, lowerTarget, spill } from './expressions';
import { identifier } from './native';

/** A binding pattern or an assignment pattern (object/array literal used as a target). */
type Pattern = ts.BindingName | ts.Expression;

/** Assigns `value` to `pattern`, in order. */
export function lowerDestructuring(L: FunctionLowering, pattern: Pattern, value: ts.Expression): void {
  const t = L.t;
  const f = L.f;
  if (t.isIdentifier(pattern)) {
    L.emit(L.assign(identifier(L, pattern, false), value));
    return;
  }
  if (t.isObjectBindingPattern(pattern) || t.isObjectLiteralExpression(pattern)) return lowerObject(L, pattern, value);
  if (t.isArrayBindingPattern(pattern) || t.isArrayLiteralExpression(pattern)) return lowerArray(L, pattern, value);
  // An assignment target that is not a pattern (a member expression, in assignment patterns).
  const target = lowerTarget(L, pattern as ts.Expression, false);
  L.emit(f.createExpressionStatement(f.createAssignment(target as ts.LeftHandSideExpression, value)));
}

/** `target = default` in assignment patterns, `name = default` in binding ones. */
function splitDefault(L: FunctionLowering, element: ts.Node): { target: Pattern; init: ts.Expression | undefined } {
  const t = L.t;
  if (t.isBindingElement(element)) return { target: element.name, init: element.initializer };
  if (t.isBinaryExpression(element) && element.operatorToken.kind === t.SyntaxKind.EqualsToken) {
    return { target: element.left, init: element.right };
  }
  return { target: element as ts.Expression, init: undefined };
}

/** For assignment patterns, a plain target's reference is evaluated before the value is read. */
function prepareTarget(L: FunctionLowering, target: Pattern): Pattern {
  const t = L.t;
  if (t.isIdentifier(target) || t.isObjectBindingPattern(target) || t.isArrayBindingPattern(target) ||
      t.isObjectLiteralExpression(target) || t.isArrayLiteralExpression(target)) return target;
  return lowerTarget(L, target as ts.Expression, true);
}

function withDefault(L: FunctionLowering, value: ts.Identifier, init: ts.Expression | undefined): void {
  if (init === undefined) return;
  const f = L.f;
  const skip = L.defineLabel();
  L.emit(f.createIfStatement(f.createStrictInequality(value, f.createVoidZero()), f.createBlock(L.goto(skip))));
  L.emit(L.assign(value, lowerExpression(L, init)));
  L.markLabel(skip);
}

function lowerObject(L: FunctionLowering, pattern: ts.ObjectBindingPattern | ts.ObjectLiteralExpression,
  value: ts.Expression): void {
  const t = L.t;
  const f = L.f;
  const source = L.newTemp();
  // Positioned at the pattern: a TypeError from destructuring null names its line in a stack trace.
  L.emitAt(L.assign(source, value), pattern);
  L.emitAt(f.createExpressionStatement(L.runtimeCall('destructurable', [source])), pattern);
  const keys: ts.Expression[] = [];
  const elements = t.isObjectBindingPattern(pattern) ? pattern.elements : pattern.properties;
  for (const element of elements) {
    let rest: Pattern | undefined;
    let keyNode: ts.PropertyName | undefined;
    let targetNode: ts.Node;
    if (t.isBindingElement(element)) {
      if (element.dotDotDotToken) rest = element.name;
      keyNode = element.propertyName ?? (element.name as ts.Identifier);
      targetNode = element;
    } else if (t.isPropertyAssignment(element)) {
      keyNode = element.name;
      targetNode = element.initializer;
    } else if (t.isShorthandPropertyAssignment(element)) {
      keyNode = element.name;
      targetNode = element.objectAssignmentInitializer
        ? f.createAssignment(element.name, element.objectAssignmentInitializer) : element.name;
    } else if (t.isSpreadAssignment(element)) {
      rest = element.expression;
      targetNode = element;
    } else {
      return unsupported(element, 'this destructuring element');
    }
    if (rest !== undefined) {
      const target = prepareTarget(L, rest);
      lowerDestructuring(L, target, L.runtimeCall('objectRest', [source, f.createArrayLiteralExpression(keys)]));
      continue;
    }
    const key = propertyKey(L, keyNode!);
    keys.push(key);
    const { target, init } = splitDefault(L, targetNode);
    const prepared = prepareTarget(L, target);
    const v = L.newTemp();
    L.emitAt(L.assign(v, f.createElementAccessExpression(source, key)), element);
    withDefault(L, v, init);
    lowerDestructuring(L, prepared, v);
  }
}

/** A property name as an expression, computed keys converted once, now. */
function propertyKey(L: FunctionLowering, name: ts.PropertyName): ts.Expression {
  if (L.t.isComputedPropertyName(name)) return spill(L, L.runtimeCall('propertyKey', [lowerExpression(L, name.expression)]));
  return staticKey(L, name) ?? unsupported(name, 'this property name in a destructuring pattern');
}

/** A property name that is not computed, as the string it names (`a`, `'a'`, `1e3` -> "1000"). */
export function staticKey(L: FunctionLowering, name: ts.PropertyName): ts.StringLiteral | undefined {
  const t = L.t;
  if (t.isIdentifier(name) || t.isPrivateIdentifier(name)) return L.f.createStringLiteral(name.text);
  if (t.isNumericLiteral(name)) return L.f.createStringLiteral(String(Number(name.text)));
  if (t.isStringLiteral(name) || t.isNoSubstitutionTemplateLiteral(name)) return L.f.createStringLiteral(name.text);
  return undefined;
}

function lowerArray(L: FunctionLowering, pattern: ts.ArrayBindingPattern | ts.ArrayLiteralExpression,
  value: ts.Expression): void {
  const t = L.t;
  const f = L.f;
  const iterator = L.newTemp('it');
  const done = L.newTemp('done');
  const step = L.newTemp('r');
  L.emitAt(L.assign(iterator, L.runtimeCall('iterate', [value])), pattern);
  L.emit(L.assign(done, f.createFalse()));
  // done = true first: if next() or reading the result's done or value throws, the iterator is
  // not closed (as JavaScript does). `use` takes the value; done is false again only after it.
  const next = (use?: (value: ts.Expression) => ts.Statement): ts.Statement[] => [
    L.assign(done, f.createTrue()),
    L.assign(step, f.createCallExpression(f.createPropertyAccessExpression(iterator, 'next'), undefined, [])),
    use === undefined ? L.assign(done, f.createPropertyAccessExpression(step, 'done'))
      : f.createIfStatement(f.createLogicalNot(f.createPropertyAccessExpression(step, 'done')),
        f.createBlock([use(f.createPropertyAccessExpression(step, 'value')), L.assign(done, f.createFalse())])),
  ];
  const elements = t.isArrayBindingPattern(pattern) ? pattern.elements : pattern.elements;
  lowerTryPartsForPattern(L, () => {
    for (const element of elements) {
      if (t.isOmittedExpression(element)) {
        L.emit(f.createIfStatement(f.createLogicalNot(done), f.createBlock(next())));
        continue;
      }
      const isRest = t.isBindingElement(element) ? element.dotDotDotToken !== undefined : t.isSpreadElement(element);
      const { target, init } = splitDefault(L, t.isSpreadElement(element) ? element.expression : element);
      const prepared = prepareTarget(L, target);
      const v = L.newTemp();
      if (isRest) {
        const loop = L.defineLabel();
        const end = L.defineLabel();
        L.emit(L.assign(v, f.createArrayLiteralExpression([])));
        L.markLabel(loop);
        L.emit(f.createIfStatement(done, f.createBlock(L.goto(end))));
        for (const s of next((value) => f.createExpressionStatement(f.createCallExpression(
          f.createPropertyAccessExpression(v, 'push'), undefined, [value])))) L.emit(s);
        L.emitTerminal(L.goto(loop));
        L.markLabel(end);
      } else {
        L.emit(L.assign(v, f.createVoidZero()));
        L.emit(f.createIfStatement(f.createLogicalNot(done), f.createBlock(next((value) => L.assign(v, value)))));
        withDefault(L, v, init);
      }
      lowerDestructuring(L, prepared, v);
    }
  }, (kind) => {
    L.emit(f.createIfStatement(f.createLogicalNot(done), f.createBlock([
      L.assign(done, f.createTrue()),
      f.createExpressionStatement(L.runtimeCall('closeIterator', [iterator, f.createStrictEquality(kind, L.num(Completion.throw))])),
    ])));
  });
}

/** Set by statements.ts (which owns the try machinery) to avoid an import cycle. */
export let lowerTryPartsForPattern: (L: FunctionLowering, tryPart: () => void, finallyPart: (kind: ts.Identifier) => void) => void =
  () => { throw new Error('gencoro internal error: try machinery not installed'); };
export function installTryParts(fn: typeof lowerTryPartsForPattern): void {
  lowerTryPartsForPattern = fn;
}
