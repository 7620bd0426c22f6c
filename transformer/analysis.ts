/**
 * Memoised questions about a coroutine body, asked of the syntax alone (no
 * checker), so the lowering stays usable from `transpileModule`.
 * TypeScript's own `transformFlags.ContainsYield` is internal, hence this.
 */
import type * as ts from 'typescript';

export class Analysis {
  private yieldCache = new WeakMap<ts.Node, boolean>();

  constructor(private readonly tsApi: typeof ts) {}

  /** True if `node` contains a `yield` that belongs to the function being lowered. */
  containsYield(node: ts.Node | undefined): boolean {
    if (node === undefined) return false;
    const cached = this.yieldCache.get(node);
    if (cached !== undefined) return cached;
    const t = this.tsApi;
    let result: boolean;
    if (t.isYieldExpression(node)) result = true;
    else if (isErased(t, node)) result = false;
    else if (t.isFunctionLike(node)) {
      // A method's or accessor's computed name is evaluated where the class or literal is; its body is its own.
      const name = (node as { name?: ts.Node }).name;
      result = name !== undefined && t.isComputedPropertyName(name) && this.containsYield(name);
    } else if (t.isClassLike(node)) result = this.classHasYieldInComputedNames(node);
    else result = t.forEachChild(node, (child) => this.containsYield(child) || undefined) === true;
    this.yieldCache.set(node, result);
    return result;
  }

  /**
   * Makes `node` and its ancestors up to `body` count as containing a yield,
   * so they are lowered although they have none (see Hoisting.mustLower).
   * Nodes below `node` keep their own answer. Returns false if `node`
   * counted as containing a yield already.
   */
  lowerAnyway(node: ts.Node, body: ts.Node): boolean {
    let changed = false;
    for (let n: ts.Node | undefined = node; n !== undefined && n !== body && !this.containsYield(n); n = n.parent) {
      this.yieldCache.set(n, true);
      changed = true;
    }
    return changed;
  }

  /**
   * Class bodies are their own scope, except computed member names, `extends` and decorators
   * (of the class, its members and their parameters), evaluated in place.
   */
  private classHasYieldInComputedNames(node: ts.ClassLikeDeclaration): boolean {
    const t = this.tsApi;
    const decorated = (n: ts.Node) => t.canHaveDecorators(n) && (t.getDecorators(n) ?? []).some((d) => this.containsYield(d));
    if (decorated(node)) return true;
    for (const clause of node.heritageClauses ?? []) if (this.containsYield(clause)) return true;
    for (const member of node.members) {
      if (member.name !== undefined && t.isComputedPropertyName(member.name) && this.containsYield(member.name)) return true;
      if (decorated(member) || t.isFunctionLike(member) && member.parameters.some(decorated)) return true;
    }
    return false;
  }
}

/** Expressions whose value cannot change and whose evaluation has no effect: no need to spill them. */
export function isConstant(tsApi: typeof ts, node: ts.Expression): boolean {
  const t = tsApi;
  return t.isNumericLiteral(node) || t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node) ||
    t.isBigIntLiteral(node) || node.kind === t.SyntaxKind.TrueKeyword || node.kind === t.SyntaxKind.FalseKeyword ||
    node.kind === t.SyntaxKind.NullKeyword || node.kind === t.SyntaxKind.ThisKeyword;
}

/** A decorator on the class, on one of its members, or on a parameter of one. */
export function hasDecorators(tsApi: typeof ts, node: ts.ClassLikeDeclaration): boolean {
  const t = tsApi;
  const has = (n: ts.Node) => t.canHaveDecorators(n) && (t.getDecorators(n)?.length ?? 0) > 0;
  return has(node) || node.members.some((m) => has(m) ||
    ((t.isMethodDeclaration(m) || t.isConstructorDeclaration(m) || t.isSetAccessor(m)) && m.parameters.some(has)));
}

/** Parentheses and TypeScript's type-only wrappers (`as`, `!`, `satisfies`, `<T>`): nothing of them is left at run time. */
export function isOuterExpression(tsApi: typeof ts, node: ts.Node): node is ts.ParenthesizedExpression | ts.NonNullExpression |
  ts.AsExpression | ts.TypeAssertion | ts.SatisfiesExpression {
  const t = tsApi;
  return t.isParenthesizedExpression(node) || t.isNonNullExpression(node) || t.isAsExpression(node) ||
    t.isTypeAssertionExpression(node) || t.isSatisfiesExpression(node);
}

/** `node` without its outer expressions (see isOuterExpression). */
export function skipOuterExpressions(tsApi: typeof ts, node: ts.Expression): ts.Expression {
  while (isOuterExpression(tsApi, node)) node = node.expression;
  return node;
}

/**
 * Nodes that hold no code and that TypeScript erases: types, index signatures,
 * interfaces and type aliases. The lowering's tree visitors leave them as they
 * are; visiting a malformed one (`{ [k: string] }`, a grammar error) would
 * fail TypeScript's own node visitor (Debug Failure).
 */
export function isErased(t: typeof ts, node: ts.Node): boolean {
  // `extends Base<T>` is an ExpressionWithTypeArguments, a "type node" whose expression is code.
  if (t.isTypeNode(node) && !t.isExpressionWithTypeArguments(node) || t.isIndexSignatureDeclaration(node) ||
    t.isInterfaceDeclaration(node) || t.isTypeAliasDeclaration(node)) return true;
  if (t.isHeritageClause(node)) return node.token === t.SyntaxKind.ImplementsKeyword;
  // `declare` statements (an error in a body, which only a type check reports) and members TypeScript
  // drops: abstract and `declare` members, overload signatures (their computed names are not evaluated).
  const modifiers = t.canHaveModifiers(node) ? t.getModifiers(node) ?? [] : [];
  if (modifiers.some((m) => m.kind === t.SyntaxKind.DeclareKeyword ||
    m.kind === t.SyntaxKind.AbstractKeyword && t.isClassElement(node))) return true; // an abstract class stays
  return (t.isMethodDeclaration(node) || t.isConstructorDeclaration(node) || t.isGetAccessor(node) || t.isSetAccessor(node)) &&
    node.body === undefined;
}

/** A `using` (or `await using`) declaration list, or a statement of one. */
export function isUsing(t: typeof ts, node: ts.Node | undefined): boolean {
  const list = node !== undefined && t.isVariableStatement(node) ? node.declarationList : node;
  return list !== undefined && t.isVariableDeclarationList(list) && (list.flags & t.NodeFlags.Using) !== 0;
}

/**
 * `node` with a new object expression; an optional chain through its own
 * update (the general one refuses a private name there: `a?.#x`).
 */
export function updatePropertyAccess(f: ts.NodeFactory, t: typeof ts, node: ts.PropertyAccessExpression,
  expression: ts.Expression): ts.PropertyAccessExpression {
  return t.isPropertyAccessChain(node) ? f.updatePropertyAccessChain(node, expression, node.questionDotToken, node.name)
    : f.updatePropertyAccessExpression(node, expression, node.name);
}

/** The nearest ancestor of `node` that is not a parenthesis or a type-only wrapper (see isOuterExpression). */
export function parentThroughOuter(t: typeof ts, node: ts.Node): ts.Node | undefined {
  let parent = node.parent;
  while (parent !== undefined && isOuterExpression(t, parent)) parent = parent.parent;
  return parent;
}
