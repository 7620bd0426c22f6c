/**
 * Scopes of one coroutine body: which declarations move to the outer
 * function, which of them are renamed, and which identifiers refer to them.
 *
 * A lowered body runs as the cases of a switch inside a step function that is
 * called once per resumption, so a declaration in a statement list that gets
 * flattened into cases cannot stay where it is: `let x` in case 0 would be in
 * the temporal dead zone when case 3 reads it in a later call. Such
 * declarations become `var`s of the outer function (the closure every step
 * shares); those from nested blocks get fresh names, so sibling blocks that
 * reuse a name stay apart. `var`s are function-scoped already and keep their
 * names. Declarations in statements that stay native (no yield inside) are
 * left alone. The temporal dead zone itself is lost: reading a hoisted `let`
 * before its declaration gives `undefined` instead of a ReferenceError.
 */
import type * as ts from 'typescript';
import { Analysis } from './analysis';
import { Diagnostics, LoweringError } from './diagnostics';

/** One binding that the lowering hoists. */
export interface HoistedBinding {
  name: string;
  /** The identifier to declare and to refer to it by (same text, or a unique name). */
  id: ts.Identifier;
}

interface Scope {
  /** Bindings declared here, by name. */
  names: Map<string, Binding>;
  /** True for function scopes (var and parameters live there). */
  isFunction: boolean;
  /** The loop this scope is the body or header of, if that loop is exploded. */
  inExplodedLoop: boolean;
  /** True for scopes of nested functions and classes inside the body (closures). */
  isClosure: boolean;
}

interface Binding {
  decl: ts.Identifier;
  hoisted: HoistedBinding | undefined;
  /** Declared inside an exploded loop (a fresh binding per iteration in JavaScript). */
  perIteration: boolean;
}

export class Hoisting {
  /** Renamed references and declaration names: original identifier node -> new identifier. */
  readonly renames = new Map<ts.Node, ts.Identifier>();
  /** Every binding to declare as `var` in the outer function, in first-seen order. */
  readonly hoisted: HoistedBinding[] = [];
  /** Function declarations moved to the outer function. */
  readonly hoistedFunctions = new Set<ts.FunctionDeclaration>();
  /** True if the body reads `arguments` (it must be aliased in the outer function). */
  usesArguments = false;
  private readonly t: typeof ts;
  private readonly scopes: Scope[] = [];
  private readonly byDecl = new Map<ts.Identifier, Binding>();

  constructor(tsApi: typeof ts, private readonly analysis: Analysis, private readonly factory: ts.NodeFactory) {
    this.t = tsApi;
  }

  /** Analyses `fn`'s body. Throws LoweringError for captures it cannot lower. */
  run(fn: ts.SignatureDeclaration & { body?: ts.Node }): void {
    const t = this.t;
    const top = this.pushScope(true, false, false);
    for (const p of fn.parameters) this.declarePattern(p.name, top, false, false);
    const body = fn.body as ts.Block;
    this.collectVars(body, top);
    this.declareLexical(body.statements, top, true, false);
    for (const s of body.statements) this.visit(s);
    this.scopes.pop();
    void t;
  }


  private pushScope(isFunction: boolean, inExplodedLoop: boolean, isClosure: boolean): Scope {
    const parent = this.scopes[this.scopes.length - 1];
    const scope: Scope = {
      names: new Map(), isFunction,
      inExplodedLoop: inExplodedLoop || (parent !== undefined && !isFunction && parent.inExplodedLoop),
      isClosure: isClosure || (parent !== undefined && parent.isClosure),
    };
    this.scopes.push(scope);
    return scope;
  }

  /** `var` declarations anywhere in the body (not in nested functions): hoisted, names kept. */
  private collectVars(node: ts.Node, scope: Scope): void {
    const t = this.t;
    const visit = (n: ts.Node): void => {
      if (t.isFunctionLike(n) || t.isClassLike(n)) return;
      if (t.isVariableDeclarationList(n) && (n.flags & t.NodeFlags.BlockScoped) === 0) {
        for (const d of n.declarations) this.declarePattern(d.name, scope, true, false, true);
      }
      t.forEachChild(n, visit);
    };
    t.forEachChild(node, visit);
  }

  /**
   * Lexical declarations of one statement list. `flattened`: the list becomes
   * cases, so they are hoisted (renamed unless `keepNames`).
   */
  private declareLexical(statements: readonly ts.Statement[], scope: Scope, keepNames: boolean, flattened: boolean): void {
    const t = this.t;
    for (const s of statements) {
      if (t.isVariableStatement(s) && (s.declarationList.flags & t.NodeFlags.BlockScoped) !== 0) {
        for (const d of s.declarationList.declarations) this.declarePattern(d.name, scope, flattened || keepNames, !keepNames);
      } else if ((t.isFunctionDeclaration(s) || t.isClassDeclaration(s)) && s.name !== undefined) {
        this.declare(s.name, scope, flattened || keepNames, !keepNames);
        if (t.isFunctionDeclaration(s) && (flattened || keepNames)) this.hoistedFunctions.add(s);
      }
    }
  }

  private declarePattern(name: ts.BindingName, scope: Scope, hoist: boolean, rename: boolean, isVar = false): void {
    const t = this.t;
    if (t.isIdentifier(name)) {
      if (isVar && scope.names.has(name.text)) return; // `var x` twice, or a var beside a parameter
      this.declare(name, scope, hoist, rename);
      return;
    }
    for (const element of name.elements) {
      if (!t.isOmittedExpression(element)) this.declarePattern(element.name, scope, hoist, rename, isVar);
    }
  }

  private declare(id: ts.Identifier, scope: Scope, hoist: boolean, rename: boolean): void {
    let hoisted: HoistedBinding | undefined;
    if (hoist) {
      const newId = rename ? this.factory.createUniqueName(id.text) : this.factory.createIdentifier(id.text);
      hoisted = { name: id.text, id: newId };
      if (!this.hoisted.some((h) => !rename && h.name === id.text)) this.hoisted.push(hoisted);
      if (rename) this.renames.set(id, newId);
    }
    const binding: Binding = { decl: id, hoisted, perIteration: scope.inExplodedLoop };
    scope.names.set(id.text, binding);
    this.byDecl.set(id, binding);
  }

  private resolve(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].names.get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  private visit(node: ts.Node): void {
    const t = this.t;
    if (t.isIdentifier(node)) {
      this.reference(node);
      return;
    }
    if (t.isFunctionLike(node)) return this.visitFunction(node);
    if (t.isClassLike(node)) return this.visitClass(node);
    if (t.isBlock(node)) return this.visitBlock(node.statements, node, false);
    if (t.isCaseBlock(node)) return this.visitBlock(node.clauses.flatMap((c) => [...c.statements]), node, false, node.clauses);
    if (t.isIterationStatement(node, false)) return this.visitLoop(node);
    if (t.isCatchClause(node)) return this.visitCatch(node);
    if (t.isPropertyAccessExpression(node)) return this.visit(node.expression);
    if (t.isQualifiedName(node) || t.isTypeNode(node)) return;
    if (t.isLabeledStatement(node) || t.isBreakOrContinueStatement(node)) {
      if (t.isLabeledStatement(node)) this.visit(node.statement);
      return;
    }
    if (t.isPropertyAssignment(node) || t.isPropertyDeclaration(node) || t.isMethodDeclaration(node) ||
        t.isGetAccessor(node) || t.isSetAccessor(node)) {
      if (node.name !== undefined && t.isComputedPropertyName(node.name)) this.visit(node.name);
      if (t.isPropertyAssignment(node)) this.visit(node.initializer);
      return;
    }
    if (t.isBindingElement(node)) {
      if (node.propertyName !== undefined && t.isComputedPropertyName(node.propertyName)) this.visit(node.propertyName);
      this.visit(node.name);
      if (node.initializer) this.visit(node.initializer);
      return;
    }
    t.forEachChild(node, (child) => this.visit(child));
  }

  private reference(id: ts.Identifier): void {
    if (id.text === 'arguments' && !this.scopes.some((s, i) => i > 0 && s.isFunction && s.isClosure && !s.names.has('=>'))) {
      if (this.resolve('arguments') === undefined) this.usesArguments = true;
    }
    const binding = this.resolve(id.text);
    if (binding === undefined) return;
    if (binding.hoisted !== undefined && binding.hoisted.id.text !== id.text || this.renames.has(binding.decl)) {
      this.renames.set(id, binding.hoisted!.id);
    }
    const scope = this.scopes[this.scopes.length - 1];
    if (binding.perIteration && binding.hoisted !== undefined && scope.isClosure && !this.declaredInClosure(binding)) {
      throw new LoweringError(Diagnostics.perIterationCapture, id, [id.text]);
    }
  }

  /** True if the binding itself lives inside the closure scope we are in (then it is not captured from outside). */
  private declaredInClosure(binding: Binding): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      if (s.names.get(binding.decl.text) === binding) return s.isClosure;
      if (s.isFunction && s.isClosure) return false;
    }
    return false;
  }

  private visitFunction(node: ts.SignatureDeclaration): void {
    const t = this.t;
    const isArrow = t.isArrowFunction(node);
    const scope = this.pushScope(true, false, true);
    if (isArrow) scope.names.set('=>', { decl: node as unknown as ts.Identifier, hoisted: undefined, perIteration: false });
    if (t.isFunctionExpression(node) && node.name) this.declare(node.name, scope, false, false);
    for (const p of node.parameters) {
      this.declarePattern(p.name, scope, false, false);
    }
    for (const p of node.parameters) {
      if (p.initializer) this.visit(p.initializer);
      if (!t.isIdentifier(p.name)) this.visit(p.name);
    }
    const body = (node as { body?: ts.Node }).body;
    if (body !== undefined) {
      if (t.isBlock(body)) {
        this.collectVars(body, scope);
        this.declareLexical(body.statements, scope, true, false);
        for (const s of body.statements) this.visit(s);
      } else {
        this.visit(body);
      }
    }
    this.scopes.pop();
  }

  private visitClass(node: ts.ClassLikeDeclaration): void {
    const t = this.t;
    for (const clause of node.heritageClauses ?? []) for (const type of clause.types) this.visit(type.expression);
    const scope = this.pushScope(false, false, true);
    if (t.isClassExpression(node) && node.name) this.declare(node.name, scope, false, false);
    for (const member of node.members) this.visit(member);
    this.scopes.pop();
  }

  private visitBlock(statements: readonly ts.Statement[], owner: ts.Node, inLoop: boolean,
    clauses?: readonly ts.CaseOrDefaultClause[]): void {
    const flattened = this.analysis.containsYield(owner) && !this.isInsideClosure();
    const scope = this.pushScope(false, inLoop && flattened, false);
    this.declareLexical(statements, scope, false, flattened);
    if (clauses !== undefined) {
      for (const c of clauses) {
        if (this.t.isCaseClause(c)) this.visit(c.expression);
        for (const s of c.statements) this.visit(s);
      }
    } else {
      for (const s of statements) this.visit(s);
    }
    this.scopes.pop();
  }

  private isInsideClosure(): boolean {
    const scope = this.scopes[this.scopes.length - 1];
    return scope !== undefined && scope.isClosure;
  }

  private visitLoop(node: ts.IterationStatement): void {
    const t = this.t;
    const exploded = this.analysis.containsYield(node) && !this.isInsideClosure();
    const scope = this.pushScope(false, exploded, false);
    let initializer: ts.ForInitializer | undefined;
    if (t.isForStatement(node) || t.isForInStatement(node) || t.isForOfStatement(node)) initializer = node.initializer;
    if (initializer !== undefined && t.isVariableDeclarationList(initializer) &&
        (initializer.flags & t.NodeFlags.BlockScoped) !== 0) {
      for (const d of initializer.declarations) this.declarePattern(d.name, scope, exploded, exploded);
    }
    if (t.isForInStatement(node) || t.isForOfStatement(node)) {
      // The iterated expression is evaluated outside the loop's per-iteration scope.
      this.scopes.pop();
      this.visit(node.expression);
      this.scopes.push(scope);
    }
    t.forEachChild(node, (child) => {
      if ((t.isForInStatement(node) || t.isForOfStatement(node)) && child === node.expression) return;
      if (t.isBlock(child) && child === node.statement) this.visitBlock(child.statements, child, true);
      else this.visit(child);
    });
    this.scopes.pop();
  }

  private visitCatch(node: ts.CatchClause): void {
    const exploded = this.analysis.containsYield(node.parent) && !this.isInsideClosure();
    const scope = this.pushScope(false, false, false);
    if (node.variableDeclaration) this.declarePattern(node.variableDeclaration.name, scope, exploded, exploded);
    this.visitBlock(node.block.statements, node.block, false);
    this.scopes.pop();
  }
}
