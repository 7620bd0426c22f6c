/**
 * Locals as fields: the last pass of a lowering whose step function is shared
 * by every call (see build.ts, `buildShared`). The step then sits outside the
 * lowered function, so nothing of one call can live in a closure: every
 * hoisted binding, parameter, temporary, box and the `arguments` alias
 * becomes a field of the machine, and `this` becomes `m.this_1`.
 *
 * [source]   let n = 0; f(n); [n] = g(); () => n + this.k
 * [lowered]  m.n_1 = 0; (0, m.f_1)(m.n_1); [m.n_1] = (0, m.g_1)(); () => m.n_1 + m.this_1.k
 *
 * The lowering already printed every such binding as one generated
 * identifier node (hoist.ts renames them all in this mode), so this pass
 * swaps those nodes by identity, with four cares:
 * - a callee or tag becomes `(0, m.f_1)`, so the call's `this` stays undefined;
 * - a box identifier bound by a closure's own parameter (the per-iteration
 *   wrapper `((b_1) => ...)(m.b_1)`, native.ts `keepIteration`) stays as it is
 *   inside that closure;
 * - `this` is replaced only where it is the step's own: not inside nested
 *   non-arrow functions or class bodies;
 * - a binding name in a declaration cannot become a field: that is reported
 *   as unsupported (never emitted wrong).
 */
import type * as ts from 'typescript';
import { Diagnostics, LoweringError, assert } from './diagnostics';
import { isErased, updatePropertyAccess } from './analysis';

export class FieldRewriter {
  /** The identifier nodes the lowering printed that are fields (each also names its field). */
  private readonly fields = new Set<ts.Node>();
  private thisField: ts.Identifier | undefined;
  /** Fields read or written inside a nested function or class: they may be used after the body finished. */
  readonly captured = new Set<ts.Identifier>();
  /** How many functions and classes the visit is inside (their computed names too: erring on the safe side). */
  private depth = 0;

  constructor(private readonly t: typeof ts, private readonly f: ts.NodeFactory, private readonly m: ts.Identifier) {}

  /**
   * Makes `id` a field; returns the field's name: `id` itself. Every such
   * identifier is a generated unique name, printed with a numeric suffix
   * (`x_1`), so a field never meets the runtime's own names on the machine
   * (`s`, `h`, `step`, `_state`, `then`...), and a field prints as the
   * variable it replaces.
   */
  add(id: ts.Identifier): ts.Identifier {
    assert(isUniqueName(id), 'a field for a name that is not a generated unique name: ' + this.t.idText(id));
    this.fields.add(id);
    return id;
  }

  /** The `this_N` field, if the body used `this`. */
  get usedThis(): ts.Identifier | undefined {
    return this.thisField;
  }

  /** `m.<name>`. */
  access(name: ts.Identifier): ts.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.m, name);
  }

  rewrite<T extends ts.Node>(node: T): T {
    return this.visit(node, new Set(), true) as T;
  }

  private visit(node: ts.Node, shadowed: Set<ts.Node>, lexicalThis: boolean): ts.Node {
    const t = this.t;
    const f = this.f;
    if (t.isIdentifier(node)) return this.identifier(node, shadowed) ?? node;
    if (isErased(t, node)) return node;
    if (node.kind === t.SyntaxKind.ThisKeyword) {
      if (!lexicalThis) return node;
      this.thisField ??= f.createUniqueName('this');
      if (this.depth > 0) this.captured.add(this.thisField);
      return t.setTextRange(this.access(this.thisField), node);
    }
    const children = (n: ts.Node, s = shadowed, lt = lexicalThis): ts.Node =>
      t.visitEachChild(n, (c) => this.visit(c, s, lt), undefined);
    if (t.isCallExpression(node) || t.isTaggedTemplateExpression(node)) return this.call(node, shadowed, lexicalThis);
    if (t.isPropertyAccessExpression(node)) {
      return updatePropertyAccess(f, t, node, this.visit(node.expression, shadowed, lexicalThis) as ts.Expression);
    }
    if (t.isShorthandPropertyAssignment(node)) {
      const field = this.identifier(node.name, shadowed);
      if (field === undefined) return children(node);
      const init = node.objectAssignmentInitializer;
      return t.setTextRange(f.createPropertyAssignment(t.idText(node.name), init === undefined ? field
        : f.createAssignment(field, this.visit(init, shadowed, lexicalThis) as ts.Expression)), node);
    }
    if (t.isFunctionLike(node) || t.isClassLike(node)) {
      this.depth++;
      try {
        return t.isFunctionLike(node) ? this.closure(node, shadowed, lexicalThis) : this.classLike(node, shadowed, lexicalThis);
      } finally {
        this.depth--;
      }
    }
    if (t.isVariableDeclaration(node) || t.isBindingElement(node)) this.checkDeclared(node.name, shadowed);
    if (t.isCatchClause(node) && node.variableDeclaration) this.checkDeclared(node.variableDeclaration.name, shadowed);
    return children(node);
  }

  private identifier(node: ts.Identifier, shadowed: Set<ts.Node>): ts.Expression | undefined {
    if (!this.fields.has(node) || shadowed.has(node)) return undefined;
    if (this.depth > 0) this.captured.add(node);
    // No text range: the identifier is one generated node printed at every use, so any range it has is not this use's.
    return this.access(node);
  }

  /** A call or tag whose callee becomes a field: `(0, m.f_1)(...)`, so `this` stays undefined. */
  private call(node: ts.CallExpression | ts.TaggedTemplateExpression, shadowed: Set<ts.Node>, lexicalThis: boolean): ts.Node {
    const t = this.t;
    const f = this.f;
    const callee = t.isCallExpression(node) ? node.expression : node.tag;
    let inner: ts.Expression = callee;
    while (t.isParenthesizedExpression(inner)) inner = inner.expression;
    const field = t.isIdentifier(inner) ? this.identifier(inner, shadowed) : undefined;
    const visitedArgs = t.visitEachChild(node, (c) => c === callee ? c : this.visit(c, shadowed, lexicalThis), undefined);
    if (field === undefined) {
      const newCallee = this.visit(callee, shadowed, lexicalThis) as ts.Expression;
      return t.isCallExpression(visitedArgs)
        ? f.updateCallExpression(visitedArgs, newCallee, visitedArgs.typeArguments, visitedArgs.arguments)
        : f.updateTaggedTemplateExpression(visitedArgs as ts.TaggedTemplateExpression, newCallee,
          (visitedArgs as ts.TaggedTemplateExpression).typeArguments, (visitedArgs as ts.TaggedTemplateExpression).template);
    }
    const unbound = f.createParenthesizedExpression(f.createComma(f.createNumericLiteral(0), field));
    if (t.isCallExpression(visitedArgs)) {
      return visitedArgs.questionDotToken !== undefined
        ? f.updateCallChain(visitedArgs as ts.CallChain, unbound, visitedArgs.questionDotToken, visitedArgs.typeArguments, visitedArgs.arguments)
        : f.updateCallExpression(visitedArgs, unbound, visitedArgs.typeArguments, visitedArgs.arguments);
    }
    const tagged = visitedArgs as ts.TaggedTemplateExpression;
    return f.updateTaggedTemplateExpression(tagged, unbound, tagged.typeArguments, tagged.template);
  }

  /** A nested function: its own parameters shadow fields of the same node; `this` is its own unless an arrow. */
  private closure(node: ts.Node, shadowed: Set<ts.Node>, lexicalThis: boolean): ts.Node {
    const t = this.t;
    const fn = node as ts.SignatureDeclaration;
    let inner = shadowed;
    for (const p of fn.parameters) {
      if (t.isIdentifier(p.name) && this.fields.has(p.name)) {
        if (inner === shadowed) inner = new Set(shadowed);
        inner.add(p.name);
      } else {
        this.checkDeclared(p.name, shadowed);
      }
    }
    const name = (node as { name?: ts.Node }).name;
    if (name !== undefined && t.isIdentifier(name) && (t.isFunctionDeclaration(node) || t.isFunctionExpression(node))) {
      this.checkDeclared(name, shadowed);
    }
    const own = t.isArrowFunction(node) ? lexicalThis : false;
    return t.visitEachChild(node, (c) => {
      // A computed method name and decorators are evaluated outside the method.
      if (c === name && t.isComputedPropertyName(c)) return this.visit(c, shadowed, lexicalThis);
      if (t.isDecorator(c)) return this.visit(c, shadowed, lexicalThis);
      if (t.isParameter(c)) {
        return t.visitEachChild(c, (pc) => pc === c.name && t.isIdentifier(pc) ? pc : this.visit(pc, inner, own), undefined);
      }
      return this.visit(c, inner, own);
    }, undefined);
  }

  /** A class: heritage, decorators and computed names see the outer `this`; members have their own. */
  private classLike(node: ts.ClassLikeDeclaration, shadowed: Set<ts.Node>, lexicalThis: boolean): ts.Node {
    const t = this.t;
    if (node.name !== undefined) this.checkDeclared(node.name, shadowed);
    return t.visitEachChild(node, (c) => {
      if (t.isHeritageClause(c) || t.isDecorator(c)) return this.visit(c, shadowed, lexicalThis);
      if (isErased(t, c)) return c;
      if (t.isClassElement(c)) {
        return t.visitEachChild(c, (mc) => mc === c.name && t.isComputedPropertyName(mc)
          ? this.visit(mc, shadowed, lexicalThis)
          : t.isDecorator(mc) ? this.visit(mc, shadowed, lexicalThis) : this.visit(mc, shadowed, false), undefined);
      }
      return this.visit(c, shadowed, false);
    }, undefined);
  }

  /** A declaration cannot declare a field: report it (the function stays a generator). */
  private checkDeclared(name: ts.BindingName, shadowed: Set<ts.Node>): void {
    const t = this.t;
    if (t.isIdentifier(name)) {
      if (this.fields.has(name) && !shadowed.has(name)) {
        // Reported at the coroutine function (a generated name has no position of its own).
        throw new LoweringError(Diagnostics.unsupportedConstruct, name.pos >= 0 ? name : undefined,
          ['a declaration of a hoisted binding in this position (' + this.t.idText(name) + ')']);
      }
      return;
    }
    for (const e of name.elements) if (!t.isOmittedExpression(e)) this.checkDeclared(e.name, shadowed);
  }
}

/**
 * A name made by `factory.createUniqueName` without the optimistic flag (so it
 * always prints with a suffix). TypeScript keeps the mark in the node's emit
 * node; its GeneratedIdentifierFlags (KindMask 7, Unique 3, Optimistic 16 in
 * 5.x and 6.x) are not in the public declarations.
 */
function isUniqueName(id: ts.Identifier): boolean {
  const generated = (id as { emitNode?: { autoGenerate?: { flags: number } } }).emitNode?.autoGenerate;
  return generated !== undefined && (generated.flags & 7) === 3 && (generated.flags & 16) === 0;
}

/**
 * Which of `candidates` can stay variables of the step instead of fields:
 * those whose value never has to outlive one call of the step. Kept simple
 * and safe: a binding qualifies when it is used in one case only, is not
 * seen by any function or class (a closure may read it after the step has
 * returned; `hoisted` are the body's moved function declarations), and the
 * first thing that case does with it is a plain assignment statement at the
 * case's top level, so every entry of the case writes it before any read
 * (a case is only ever entered at its start).
 * [source]   for (...) { const v = yield f; acc += v; }
 * [lowered]  case 4: v_1 = value; m.acc_1 += v_1;        (v_1: a `var` of the step)
 */
export function stepLocals(t: typeof ts, loop: ts.Statement, candidates: readonly ts.Identifier[],
  hoisted: readonly ts.Node[]): Set<ts.Identifier> {
  const wanted = new Set<ts.Node>(candidates);
  const clauseOf = new Map<ts.Node, number>();
  const ruledOut = new Set<ts.Node>();
  const note = (id: ts.Node, clause: number): void => {
    const seen = clauseOf.get(id);
    if (seen === undefined) clauseOf.set(id, clause);
    else if (seen !== clause) ruledOut.add(id);
  };
  const scan = (node: ts.Node, clause: number, inClosure: boolean, first: Set<ts.Node>): void => {
    if (t.isIdentifier(node) && wanted.has(node)) {
      note(node, clause);
      if (inClosure || !first.has(node)) ruledOut.add(node); // read (or written in a nested place) before its first write
      return;
    }
    const closure = inClosure || t.isFunctionLike(node) || t.isClassLike(node);
    t.forEachChild(node, (c) => scan(c, clause, closure, first));
  };
  for (const fn of hoisted) scan(fn, -1, true, new Set());
  const clauses = dispatchClauses(t, loop);
  if (clauses === undefined) return new Set();
  clauses.forEach((clause, i) => {
    const written = new Set<ts.Node>();
    for (const statement of clause.statements) {
      const target = plainAssignmentTarget(t, statement);
      if (target !== undefined && wanted.has(target)) {
        scan(((statement as ts.ExpressionStatement).expression as ts.BinaryExpression).right, i, false, written);
        note(target, i);
        written.add(target);
        continue;
      }
      scan(statement, i, false, written);
    }
  });
  return new Set(candidates.filter((id) => clauseOf.has(id) && !ruledOut.has(id)));
}

/** `x = value;` as a statement: its target. */
function plainAssignmentTarget(t: typeof ts, statement: ts.Statement): ts.Identifier | undefined {
  if (!t.isExpressionStatement(statement)) return undefined;
  const e = statement.expression;
  if (!t.isBinaryExpression(e) || e.operatorToken.kind !== t.SyntaxKind.EqualsToken || !t.isIdentifier(e.left)) return undefined;
  return e.left;
}

/** The clauses of the dispatch switch (`switch (m.s)`) inside the step's loop. */
function dispatchClauses(t: typeof ts, loop: ts.Statement): readonly ts.CaseOrDefaultClause[] | undefined {
  let found: readonly ts.CaseOrDefaultClause[] | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || t.isFunctionLike(node)) return;
    if (t.isSwitchStatement(node)) {
      found = node.caseBlock.clauses;
      return;
    }
    t.forEachChild(node, visit);
  };
  visit(loop);
  return found;
}
