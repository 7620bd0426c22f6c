/**
 * Literals that contain a yield: arrays, objects, templates, tagged templates
 * and classes (computed member names, `extends`). Every part runs in
 * JavaScript's order; parts evaluated before a later yield are spilled, and
 * conversions that happen at a part's turn (ToPropertyKey of a computed key,
 * ToString of a substitution) are done at that turn.
 */
import type * as ts from 'typescript';
import { hasDecorators, isErased } from './analysis';
import { unsupported } from './diagnostics';
import { FunctionLowering } from './emitter';
import { staticKey } from './destructuring';
import { lowerExpression, lowerInOrder, skipOuter, spill } from './expressions';
import { isAnonymousFunction, keepIteration, named, nativeExpression } from './native';

export function lowerArrayLiteral(L: FunctionLowering, node: ts.ArrayLiteralExpression): ts.Expression {
  const f = L.f;
  const elements = lowerInOrder(L, node.elements, (e, mustSpill): ts.Expression => {
    if (L.t.isOmittedExpression(e)) return e;
    if (L.t.isSpreadElement(e)) {
      const inner = lowerExpression(L, e.expression);
      return f.createSpreadElement(mustSpill ? spill(L, f.createArrayLiteralExpression([f.createSpreadElement(inner)])) : inner);
    }
    const value = lowerExpression(L, e);
    return mustSpill ? spill(L, value) : value;
  });
  return f.createArrayLiteralExpression(elements, node.elements.hasTrailingComma);
}

/** Properties in order; computed keys before a yield are converted to property keys at their turn. */
export function lowerObjectLiteral(L: FunctionLowering, node: ts.ObjectLiteralExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const key = (name: ts.PropertyName, mustSpill: boolean): ts.PropertyName => {
    if (!t.isComputedPropertyName(name)) return name;
    const k = lowerExpression(L, name.expression);
    return f.createComputedPropertyName(mustSpill ? spill(L, L.runtimeCall('propertyKey', [k])) : k);
  };
  const properties = lowerInOrder(L, node.properties, (p, mustSpill): ts.ObjectLiteralElementLike => {
    if (t.isPropertyAssignment(p)) {
      const name = key(p.name, mustSpill || L.analysis.containsYield(p.initializer));
      let value = lowerExpression(L, p.initializer);
      // Spilled, an anonymous function or class would lose the name the literal gives it.
      if (mustSpill && isAnonymousFunction(t, skipOuter(L, p.initializer))) value = named(L, value, nameKey(L, name));
      return f.createPropertyAssignment(name, mustSpill ? spill(L, value) : value);
    }
    if (t.isShorthandPropertyAssignment(p)) {
      const value = nativeExpression(L, p.name);
      // `{ __proto__ }` makes an own property; `__proto__: v` would set the prototype instead.
      const name = p.name.text === '__proto__' ? f.createComputedPropertyName(f.createStringLiteral('__proto__')) : p.name.text;
      return f.createPropertyAssignment(name, mustSpill ? spill(L, value) : value);
    }
    if (t.isSpreadAssignment(p)) {
      const inner = lowerExpression(L, p.expression);
      return f.createSpreadAssignment(mustSpill ? spill(L, f.createObjectLiteralExpression([f.createSpreadAssignment(inner)])) : inner);
    }
    if (p.name !== undefined && t.isComputedPropertyName(p.name) && (mustSpill || L.analysis.containsYield(p.name))) {
      const name = key(p.name, true);
      const visited = nativeExpression(L, f.createObjectLiteralExpression([p])) as ts.ObjectLiteralExpression;
      const member = visited.properties[0];
      if (t.isMethodDeclaration(member)) {
        return f.updateMethodDeclaration(member, member.modifiers, member.asteriskToken, name, member.questionToken,
          member.typeParameters, member.parameters, member.type, member.body);
      }
      if (t.isGetAccessorDeclaration(member)) {
        return f.updateGetAccessorDeclaration(member, member.modifiers, name, member.parameters, member.type, member.body);
      }
      if (t.isSetAccessorDeclaration(member)) {
        return f.updateSetAccessorDeclaration(member, member.modifiers, name, member.parameters, member.body);
      }
    }
    return (nativeExpression(L, f.createObjectLiteralExpression([p])) as ts.ObjectLiteralExpression).properties[0];
  });
  // Methods that capture per-iteration boxes keep this iteration's (see hoist.ts).
  return keepIteration(L, node, f.createObjectLiteralExpression(properties, node.properties.length > 1));
}

/** Each substitution is converted to a string at its turn, before later yields. */
export function lowerTemplate(L: FunctionLowering, node: ts.TemplateExpression): ts.Expression {
  const f = L.f;
  const values = lowerInOrder(L, node.templateSpans, (span, mustSpill) => {
    const value = lowerExpression(L, span.expression);
    return mustSpill ? spill(L, f.createTemplateExpression(f.createTemplateHead('', ''),
      [f.createTemplateSpan(value, f.createTemplateTail('', ''))])) : value;
  });
  return f.createTemplateExpression(node.head, node.templateSpans.map((span, i) =>
    f.createTemplateSpan(values[i], span.literal)));
}

/**
 * The tag function (and its `this`) is read first, then the substitutions in
 * order; the template object comes from a site of its own, so it is the same
 * object on every evaluation, as for the original site.
 * [source]   o.tag`a${yield x}b`
 * [lowered]  t_1 = o; t_2 = t_1.tag; ...; t_2.call(t_1, ((s) => s)`a${0}b`, value)
 */
export function lowerTaggedTemplate(L: FunctionLowering, node: ts.TaggedTemplateExpression): ts.Expression {
  const t = L.t;
  const f = L.f;
  const tag = skipOuter(L, node.tag);
  let thisArg: ts.Expression = f.createVoidZero();
  let fn: ts.Expression;
  if ((t.isPropertyAccessExpression(tag) || t.isElementAccessExpression(tag)) && tag.expression.kind !== t.SyntaxKind.SuperKeyword) {
    thisArg = spill(L, lowerExpression(L, tag.expression));
    fn = spill(L, t.isPropertyAccessExpression(tag) ? f.createPropertyAccessExpression(thisArg, tag.name)
      : f.createElementAccessExpression(thisArg, lowerExpression(L, tag.argumentExpression)));
  } else {
    fn = spill(L, lowerExpression(L, node.tag));
    // super.tag`...` is called with this (the step is an arrow: `this` is the method's).
    if ((t.isPropertyAccessExpression(tag) || t.isElementAccessExpression(tag)) && tag.expression.kind === t.SyntaxKind.SuperKeyword) {
      thisArg = f.createThis();
    }
  }
  const template = node.template;
  const spans = t.isTemplateExpression(template) ? template.templateSpans : [];
  const values = lowerInOrder(L, spans, (span, mustSpill) => {
    const value = lowerExpression(L, span.expression);
    return mustSpill ? spill(L, value) : value;
  });
  const site = t.isTemplateExpression(template)
    ? f.createTemplateExpression(template.head, spans.map((span) => f.createTemplateSpan(L.num(0), span.literal)))
    : template;
  const s = f.createUniqueName('s');
  const identity = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, s)],
    undefined, f.createToken(t.SyntaxKind.EqualsGreaterThanToken), s);
  const strings = f.createTaggedTemplateExpression(f.createParenthesizedExpression(identity), undefined, site);
  return f.createCallExpression(f.createPropertyAccessExpression(fn, 'call'), undefined, [thisArg, strings, ...values]);
}

/**
 * A class whose `extends` clause or computed member names contain a yield:
 * those are evaluated first, in order, then the class is defined with them
 * (defining methods has no effect of its own, so the order is kept).
 */
export function lowerClass(L: FunctionLowering, node: ts.ClassLikeDeclaration): ts.ClassExpression | ts.ClassDeclaration {
  const t = L.t;
  const f = L.f;
  // Made as a class expression after the spilled parts: decorators (legacy ones do not apply to class
  // expressions) and static members (TypeScript moves their initializers out of the expression, where
  // the class's own name is not bound) would not keep their meaning.
  if (hasDecorators(t, node) || node.members.some((m) => t.isClassStaticBlockDeclaration(m) || t.isPropertyDeclaration(m) && isStatic(t, m))) {
    return unsupported(node, 'a class with decorators or static fields whose `extends` clause, computed member names or decorators contain a yield');
  }
  // Computed names are evaluated inside the class's private scope: moved out in front of it, `#x in o` would name nothing.
  const named = node.members.find((m) => m.name !== undefined && t.isComputedPropertyName(m.name) && !isErased(t, m) &&
    containsPrivateName(t, m.name));
  if (named !== undefined) return unsupported(named.name!, 'a private name (#x) in a computed member name, in a class whose computed names contain a yield');
  const heritage = node.heritageClauses?.map((clause) => f.updateHeritageClause(clause, clause.types.map((type) =>
    f.updateExpressionWithTypeArguments(type, spill(L, lowerExpression(L, type.expression)), type.typeArguments))));
  const keys = new Map<ts.ClassElement, ts.Expression>();
  for (const member of node.members) {
    // A member TypeScript drops (abstract, `declare`, an overload signature) has no key to evaluate.
    if (member.name !== undefined && t.isComputedPropertyName(member.name) && !isErased(t, member)) {
      keys.set(member, spill(L, L.runtimeCall('propertyKey', [lowerExpression(L, member.name.expression)])));
    }
  }
  const name = node.name && f.createIdentifier(node.name.text);
  const plain = f.createClassExpression(undefined, name, undefined, undefined, node.members.map((member) => {
    const key = keys.get(member);
    if (key === undefined) return member;
    const name = f.createComputedPropertyName(key);
    if (t.isMethodDeclaration(member)) {
      return f.updateMethodDeclaration(member, member.modifiers, member.asteriskToken, name, member.questionToken,
        member.typeParameters, member.parameters, member.type, member.body);
    }
    if (t.isPropertyDeclaration(member)) {
      return f.updatePropertyDeclaration(member, member.modifiers, name, member.questionToken ?? member.exclamationToken,
        member.type, member.initializer);
    }
    if (t.isGetAccessorDeclaration(member)) {
      return f.updateGetAccessorDeclaration(member, member.modifiers, name, member.parameters, member.type, member.body);
    }
    if (t.isSetAccessorDeclaration(member)) {
      return f.updateSetAccessorDeclaration(member, member.modifiers, name, member.parameters, member.body);
    }
    return unsupported(member, 'this class member with a computed name containing a yield');
  }));
  const visited = nativeExpression(L, plain) as ts.ClassExpression;
  return f.updateClassExpression(visited, node.modifiers?.filter((m) => !t.isDecorator(m)) as ts.ModifierLike[] | undefined,
    visited.name, visited.typeParameters, heritage, visited.members);
}

function containsPrivateName(t: typeof ts, node: ts.Node): boolean {
  return t.isPrivateIdentifier(node) || t.forEachChild(node, (c) => containsPrivateName(t, c) || undefined) === true;
}

function isStatic(t: typeof ts, member: ts.ClassElement): boolean {
  return (t.canHaveModifiers(member) ? t.getModifiers(member) ?? [] : []).some((m) => m.kind === t.SyntaxKind.StaticKeyword);
}

/** A property name as the expression that names a function defined there (a computed one is spilled already). */
function nameKey(L: FunctionLowering, name: ts.PropertyName): ts.Expression {
  return L.t.isComputedPropertyName(name) ? name.expression : staticKey(L, name)!;
}
