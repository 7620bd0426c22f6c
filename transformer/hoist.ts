/**
 * Scopes of one coroutine body: which declarations move to the outer
 * function, which of them are renamed or boxed, and which identifiers refer
 * to them.
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
 *
 * Per-iteration bindings: JavaScript gives each iteration of a loop (and each
 * entry of a block) fresh `let`/`const` bindings, which closures capture
 * separately. A hoisted binding that a closure captures inside a lowered loop
 * therefore lives in a *box*, an object made anew at each entry of its scope
 * (`b = {}`; `for (let i...)` copies it before each increment, as
 * CreatePerIterationEnvironment does); references become `b.i`, and each
 * closure that uses a box is wrapped so it keeps the box of its own
 * iteration: `((b) => () => b.i)(b)`.
 *
 * Two kinds of yield-free block inside a lowered loop cannot stay native and
 * are lowered anyway (`mustLower`): one with a function declaration that
 * uses a box (a declaration cannot be wrapped), and, when the target turns
 * block bindings into `var`s (ES5), one whose bindings a closure captures.
 */
import type * as ts from 'typescript';
import { Analysis, hasDecorators, isErased, isUsing } from './analysis';
import { unsupported } from './diagnostics';

interface Scope {
  names: Map<string, Binding>;
  /** Function scopes hold `var`s and parameters. */
  isFunction: boolean;
  /** Inside a lowered loop (bindings declared here are per-iteration). */
  inExplodedLoop: boolean;
  /** Inside a loop that stays native (TypeScript's own ES5 output makes its bindings per-iteration). */
  inNativeLoop: boolean;
  /** Scopes of nested functions and classes (closures). */
  isClosure: boolean;
  /** The node whose entry makes this scope's bindings fresh. */
  owner: ts.Node | undefined;
}

export interface Binding {
  name: string;
  /** Hoisted to the outer function. */
  hoisted: boolean;
  /** Given a fresh name when hoisted (declared below the body's top level). */
  rename: boolean;
  perIteration: boolean;
  /** Read or written by a closure inside its loop: lives in a box. */
  captured: boolean;
  owner: ts.Node | undefined;
  id: ts.Identifier | undefined;
  box: Box | undefined;
  /** Declared inside a nested function or class (its own binding, never moved). */
  inClosure: boolean;
  /** The name node that declares it (for the type of what it holds, see build.ts `clearFunction`). */
  declaration?: ts.Identifier;
  /**
   * A `let`/`const`/class/function declaration of yield-free code inside a
   * lowered loop, outside any native loop: it stays where it is, and each run
   * of its block makes a fresh binding, but only while block scoping is native.
   */
  nativeInLoop?: boolean;
}

/** The box of one scope entry: one object holding its captured bindings. */
export interface Box {
  id: ts.Identifier;
  names: string[];
}

/** What a Hoisting needs to know of the function and the compilation (see file.ts). */
export interface HoistingOptions {
  /**
   * Locals as fields (a step shared by every call, see build.ts): then every
   * hoisted binding gets a fresh name, and parameters are hoisted too (their
   * values are copied onto the machine when the function is called).
   */
  fields: boolean;
  /**
   * The output's target turns `let`/`const`/class into `var` (ES5): then a
   * `nativeInLoop` binding would be one variable shared by every iteration,
   * because TypeScript's own per-iteration copies only know the source's
   * loops, not the dispatch loop that runs a lowered one. The scope of such
   * a binding that a closure captures goes into `mustLower`.
   */
  blockScopesAreVars: boolean;
  /**
   * The body is sloppy-mode code: there a function declaration in a block
   * also makes a function-scoped binding (Annex B), which the lowering does
   * not keep, so such a declaration is reported.
   */
  sloppy: boolean;
  /**
   * Legacy decorators with `emitDecoratorMetadata`: TypeScript writes a
   * decorated member's type annotations as values (`design:type`), by name,
   * where the lowering may have renamed or moved the class they name. A
   * decorated class in the body is reported.
   */
  decoratorMetadata: boolean;
}

export class Hoisting {
  /** Function declarations of the body's top level: moved to the outer function. */
  readonly hoistedFunctions = new Set<ts.FunctionDeclaration>();
  /** Function declarations of lowered nested blocks: made at each entry of their block. */
  readonly blockFunctions = new Map<ts.Node, ts.FunctionDeclaration[]>();
  /** True if the body reads `arguments` (it must be aliased in the outer function). */
  usesArguments = false;
  /**
   * Yield-free blocks (and case blocks) inside a lowered loop that must be
   * lowered all the same, so their bindings become boxed per-iteration ones:
   * with `options.blockScopesAreVars`, those that closures capture; on any target,
   * a function declaration that captures a per-iteration binding (a box).
   * The caller marks them (`Analysis.lowerAnyway`) and runs a fresh
   * Hoisting; see file.ts.
   */
  readonly mustLower = new Set<ts.Node>();
  /** The parameters' bindings, in order (with `options.fields`). */
  readonly params: Binding[] = [];
  /** Names to declare as `var` in the outer function. */
  readonly hoisted: ts.Identifier[] = [];
  /** Boxes by the node whose entry makes them. */
  readonly boxes = new Map<ts.Node, Box>();
  /** Closures (functions, classes) that use boxes, with the boxes they use. */
  readonly closureBoxes = new Map<ts.Node, Set<Box>>();
  private readonly refs = new Map<ts.Node, Binding>();
  private readonly byId = new Map<ts.Identifier, Binding>();
  private readonly closureRefs = new Map<ts.Node, Set<Binding>>();
  private readonly bindings: Binding[] = [];
  private readonly scopes: Scope[] = [];
  private readonly closures: ts.Node[] = [];
  private readonly t: typeof ts;

  constructor(tsApi: typeof ts, private readonly analysis: Analysis, private readonly factory: ts.NodeFactory,
    readonly options: HoistingOptions) {
    this.t = tsApi;
  }

  /** Analyses `fn`'s body. */
  run(fn: ts.SignatureDeclaration & { body?: ts.Node }): void {
    const top = this.pushScope(true, false, false, undefined);
    for (const p of fn.parameters) {
      // TypeScript's `this: T` pseudo-parameter is erased, never a binding (`this` is a keyword).
      if (this.t.isIdentifier(p.name) && p.name.text === 'this') continue;
      this.declarePattern(p.name, top, this.options.fields, this.options.fields);
      if (this.options.fields && this.t.isIdentifier(p.name)) this.params.push(top.names.get(p.name.text)!);
    }
    const body = fn.body as ts.Block;
    // With expressions in the parameter list, JavaScript gives the body's `var`s their own scope:
    // a `var a` there is a new binding (starting with parameter a's value) that closures in the
    // parameter list do not see. The lowered function keeps the parameter list, so declaring
    // `var a` in it again does the same.
    const own = hasParameterExpressions(this.t, fn) ? this.pushScope(true, false, false, undefined) : top;
    this.collectVars(body, own);
    this.declareLexical(body.statements, own, true, false, true);
    for (const s of body.statements) this.visit(s);
    if (own !== top) this.scopes.pop();
    this.scopes.pop();
    this.decide();
  }

  /** What an identifier (reference or declaration name) is printed as, if not itself. */
  lookup(node: ts.Node): ts.Expression | undefined {
    const b = this.refs.get(node);
    if (b === undefined) return undefined;
    if (b.box !== undefined) return this.factory.createPropertyAccessExpression(b.box.id, b.name);
    return b.rename ? b.id : undefined;
  }

  /** The binding a renamed hoisted identifier stands for. */
  bindingOf(id: ts.Identifier): Binding | undefined {
    return this.byId.get(id);
  }

  /** Gives every hoisted binding its identifier or box, once the walk has seen every capture. */
  private decide(): void {
    const f = this.factory;
    const seen = new Set<string>();
    for (const b of this.bindings) {
      if (!b.hoisted) continue;
      // A nested function's own declarations stay in it: as fields they would be unused slots, and as
      // variables of the lowered function they would shadow what the body reads by that name.
      if (b.inClosure) continue;
      if (b.captured && b.perIteration && b.owner !== undefined) {
        let box = this.boxes.get(b.owner);
        if (box === undefined) {
          box = { id: f.createUniqueName('b'), names: [] };
          this.boxes.set(b.owner, box);
          this.hoisted.push(box.id);
        }
        if (!box.names.includes(b.name)) box.names.push(b.name);
        b.box = box;
        continue;
      }
      if (b.rename) {
        b.id = f.createUniqueName(b.name);
        this.byId.set(b.id, b);
        this.hoisted.push(b.id);
      } else if (!seen.has(b.name)) {
        seen.add(b.name);
        this.hoisted.push(f.createIdentifier(b.name));
      }
    }
    for (const [closure, used] of this.closureRefs) {
      const boxes = new Set<Box>();
      for (const b of used) if (b.box !== undefined) boxes.add(b.box);
      if (boxes.size > 0) this.closureBoxes.set(closure, boxes);
      // A function declaration of yield-free code cannot be wrapped to keep its boxes (it is not an
      // expression, and it is hoisted in its block): its block is lowered, where it is made at each entry.
      if (boxes.size > 0 && this.t.isFunctionDeclaration(closure) && !this.isMoved(closure) &&
          (this.t.isBlock(closure.parent) || this.t.isCaseOrDefaultClause(closure.parent))) {
        this.mustLower.add(closure.parent);
      }
    }
  }

  /** A function declaration of a flattened statement list (made where its list starts, not where it stands). */
  private isMoved(fn: ts.FunctionDeclaration): boolean {
    if (this.hoistedFunctions.has(fn)) return true;
    for (const list of this.blockFunctions.values()) if (list.includes(fn)) return true;
    return false;
  }

  private pushScope(isFunction: boolean, inExplodedLoop: boolean, isClosure: boolean, owner: ts.Node | undefined,
    nativeLoop = false): Scope {
    const parent = this.scopes[this.scopes.length - 1];
    const scope: Scope = {
      names: new Map(), isFunction, owner,
      inExplodedLoop: inExplodedLoop || (parent !== undefined && !isFunction && parent.inExplodedLoop),
      inNativeLoop: nativeLoop || (parent !== undefined && !isFunction && parent.inNativeLoop),
      isClosure: isClosure || (parent !== undefined && parent.isClosure),
    };
    this.scopes.push(scope);
    return scope;
  }

  /** `var` declarations anywhere in the body (not in nested functions): hoisted, names kept. */
  private collectVars(node: ts.Node, scope: Scope): void {
    const t = this.t;
    const visit = (n: ts.Node): void => {
      if (t.isFunctionLike(n) || t.isClassLike(n) || isErased(t, n)) return;
      if (t.isVariableDeclarationList(n) && (n.flags & t.NodeFlags.BlockScoped) === 0) {
        for (const d of n.declarations) this.declarePattern(d.name, scope, true, false, true);
      }
      t.forEachChild(n, visit);
    };
    t.forEachChild(node, visit);
  }

  /**
   * Lexical declarations of one statement list; `flattened`: hoisted (renamed unless `keepNames`).
   * `moves`: the statements are the lowered body's own, whose function declarations build.ts
   * makes at the start of the lowered function (never a nested closure's: those stay where they are).
   * Enums and namespaces are declared too (never hoisted), so that they shadow what they should.
   */
  private declareLexical(statements: readonly ts.Statement[], scope: Scope, keepNames: boolean, flattened: boolean,
    moves = false): void {
    const t = this.t;
    for (const s of statements) {
      if (isErased(t, s)) continue;
      const before = this.bindings.length;
      if (t.isVariableStatement(s) && (s.declarationList.flags & t.NodeFlags.BlockScoped) !== 0) {
        for (const d of s.declarationList.declarations) this.declarePattern(d.name, scope, flattened || keepNames, !keepNames);
      } else if ((t.isEnumDeclaration(s) || t.isModuleDeclaration(s)) && t.isIdentifier(s.name)) {
        // Left where they are (statements.ts declines them in a lowered list): a binding of their own.
        if (!scope.names.has(s.name.text)) this.declare(s.name, scope, false, false);
      } else if (t.isFunctionDeclaration(s) && s.body === undefined) {
        continue; // an overload signature: types only
      } else if ((t.isFunctionDeclaration(s) || t.isClassDeclaration(s)) && s.name !== undefined) {
        if (t.isFunctionDeclaration(s) && !keepNames && this.options.sloppy && !scope.isClosure) this.reportAnnexB(s);
        this.declare(s.name, scope, flattened || keepNames, !keepNames);
        if (t.isFunctionDeclaration(s) && moves) this.hoistedFunctions.add(s);
        else if (t.isFunctionDeclaration(s) && flattened && scope.owner !== undefined) {
          const list = this.blockFunctions.get(scope.owner) ?? [];
          list.push(s);
          this.blockFunctions.set(scope.owner, list);
        }
      }
      if (!flattened && !keepNames && scope.inExplodedLoop && !scope.inNativeLoop && !scope.isClosure) {
        for (let i = before; i < this.bindings.length; i++) this.bindings[i].nativeInLoop = true;
      }
    }
  }

  private declarePattern(name: ts.BindingName, scope: Scope, hoist: boolean, rename: boolean, isVar = false): void {
    const t = this.t;
    if (t.isIdentifier(name)) {
      if (isVar && scope.names.has(name.text)) {
        this.refs.set(name, scope.names.get(name.text)!);
        return; // `var x` twice, or a var beside a parameter
      }
      this.declare(name, scope, hoist, rename);
      return;
    }
    for (const element of name.elements) {
      if (!t.isOmittedExpression(element)) this.declarePattern(element.name, scope, hoist, rename, isVar);
    }
  }

  private declare(id: ts.Identifier, scope: Scope, hoist: boolean, rename: boolean): void {
    const binding: Binding = {
      name: id.text, hoisted: hoist, rename: hoist && (rename || (this.options.fields && !scope.isClosure)), perIteration: scope.inExplodedLoop,
      captured: false, owner: scope.owner, id: undefined, box: undefined, inClosure: scope.isClosure, declaration: id,
    };
    scope.names.set(id.text, binding);
    this.bindings.push(binding);
    if (hoist) this.refs.set(id, binding);
  }

  private resolve(name: string): { binding: Binding; scope: Scope } | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].names.get(name);
      if (b !== undefined) return { binding: b, scope: this.scopes[i] };
    }
    return undefined;
  }

  private reference(id: ts.Identifier): void {
    const found = this.resolve(id.text);
    if (found === undefined) {
      if (id.text === 'arguments' && !this.insideOwnFunction()) this.usesArguments = true;
      return;
    }
    const { binding, scope } = found;
    const fromClosure = this.scopes[this.scopes.length - 1].isClosure && !scope.isClosure;
    if (!binding.hoisted) {
      if (fromClosure && binding.nativeInLoop && this.options.blockScopesAreVars) this.mustLower.add(binding.owner!);
      return;
    }
    this.refs.set(id, binding);
    if (fromClosure) {
      binding.captured = true;
      const closure = this.closures[0];
      let set = this.closureRefs.get(closure);
      if (set === undefined) this.closureRefs.set(closure, set = new Set());
      set.add(binding);
    }
  }

  /** Inside a nested non-arrow function (whose `arguments` is its own). */
  private insideOwnFunction(): boolean {
    return this.scopes.some((s, i) => i > 0 && s.isFunction && s.isClosure && !s.names.has('=>'));
  }

  private visit(node: ts.Node): void {
    const t = this.t;
    if (t.isIdentifier(node)) return this.reference(node);
    // Not `f<T>` (an instantiation expression) nor `extends Base<T>` (isErased): their expression is a value.
    if (isErased(t, node)) return;
    if (t.isCallExpression(node) && t.isIdentifier(node.expression) && node.expression.text === 'eval' &&
        this.resolve('eval') === undefined) {
      unsupported(node, 'a direct eval in the body of a coroutine (the code it runs would not find the locals, ' +
        'which the lowering renames or moves)');
    }
    if (t.isFunctionLike(node)) {
      // `if (x) function g() {}` or `l: function g() {}`: sloppy-mode only, and always Annex B.
      if (t.isFunctionDeclaration(node) && !t.isBlock(node.parent) && !t.isCaseOrDefaultClause(node.parent) && !this.isInsideClosure() &&
          node.body !== undefined) {
        this.reportAnnexB(node);
      }
      // Decorators and a computed method name are evaluated in the enclosing scope.
      this.visitDecorators(node);
      const name = (node as { name?: ts.Node }).name;
      if (name !== undefined && t.isComputedPropertyName(name)) this.visit(name.expression);
      return this.visitClosure(node, () => this.visitFunction(node));
    }
    if (t.isClassLike(node)) {
      this.visitDecorators(node);
      return this.visitClosure(node, () => this.visitClass(node));
    }
    if (t.isMetaProperty(node)) return; // `new.target`, `import.meta`: no binding named `target` or `meta`
    if (t.isForInStatement(node) && isUsing(t, node.initializer)) unsupported(node.initializer, '`using` in a for-in head');
    if (t.isJsxAttribute(node)) return node.initializer !== undefined ? this.visit(node.initializer) : undefined;
    if ((t.isJsxOpeningElement(node) || t.isJsxSelfClosingElement(node) || t.isJsxClosingElement(node)) &&
        isIntrinsicTag(t, node.tagName)) {
      // `<div>`: a string, not a reference to a `div` binding.
      t.forEachChild(node, (child) => { if (child !== node.tagName) this.visit(child); });
      return;
    }
    if (t.isClassStaticBlockDeclaration(node)) return this.visitClosure(node, () => this.visitFunctionBody(node.body));
    if (t.isBlock(node)) return this.visitBlock(node.statements, node, node, false);
    // A lowered switch flattens its clauses even when the yield is only in the discriminant.
    if (t.isCaseBlock(node)) {
      // A `using` there is scoped to the whole switch (TypeScript's own output disposes it only when the function returns).
      const using = this.isInsideClosure() ? undefined : node.clauses.flatMap((c) => c.statements).find((s) => isUsing(t, s));
      if (using !== undefined) unsupported(using, 'a `using` declaration directly in a case clause');
      return this.visitBlock(node.clauses.flatMap((c) => [...c.statements]), node, node.parent, false, node.clauses);
    }
    if (t.isIterationStatement(node, false)) return this.visitLoop(node);
    if (t.isCatchClause(node)) return this.visitCatch(node);
    if (t.isPropertyAccessExpression(node)) return this.visit(node.expression);
    if (t.isQualifiedName(node)) return;
    if (t.isLabeledStatement(node)) return this.visit(node.statement);
    if (t.isBreakOrContinueStatement(node)) return;
    if (t.isPropertyAssignment(node) || t.isPropertyDeclaration(node)) {
      this.visitDecorators(node);
      if (t.isComputedPropertyName(node.name)) this.visit(node.name);
      // A class field's initializer runs in the class's scope (we are inside visitClass).
      if (node.initializer !== undefined) this.visit(node.initializer);
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

  private visitDecorators(node: ts.Node): void {
    const t = this.t;
    if (!t.canHaveDecorators(node)) return;
    for (const d of t.getDecorators(node) ?? []) this.visit(d.expression);
  }

  /** Tracks the outermost closure being visited (the one a box wrapper goes around). */
  private visitClosure(node: ts.Node, body: () => void): void {
    // An object literal's method cannot be wrapped on its own; the literal is wrapped instead.
    const t = this.t;
    const inLiteral = (t.isMethodDeclaration(node) || t.isGetAccessor(node) || t.isSetAccessor(node)) &&
      t.isObjectLiteralExpression(node.parent);
    this.closures.push(inLiteral ? node.parent : node);
    body();
    this.closures.pop();
  }

  private visitFunction(node: ts.SignatureDeclaration): void {
    const t = this.t;
    // Parameter decorators run when the class is made, in the scope around it.
    for (const p of node.parameters) this.visitDecorators(p);
    const scope = this.pushScope(true, false, true, undefined);
    if (t.isArrowFunction(node)) scope.names.set('=>', this.placeholder());
    if (t.isFunctionExpression(node) && node.name) this.declare(node.name, scope, false, false);
    for (const p of node.parameters) this.declarePattern(p.name, scope, false, false);
    for (const p of node.parameters) {
      if (p.initializer) this.visit(p.initializer);
      if (!t.isIdentifier(p.name)) this.visit(p.name);
    }
    const body = (node as { body?: ts.Node }).body;
    if (body !== undefined) {
      if (t.isBlock(body)) this.declareBody(body, scope);
      else this.visit(body);
    }
    this.scopes.pop();
  }

  /** A class static block: a function body of its own (its `var`s are its own). */
  private visitFunctionBody(body: ts.Block): void {
    const scope = this.pushScope(true, false, true, undefined);
    this.declareBody(body, scope);
    this.scopes.pop();
  }

  private declareBody(body: ts.Block, scope: Scope): void {
    this.collectVars(body, scope);
    this.declareLexical(body.statements, scope, true, false);
    for (const s of body.statements) this.visit(s);
  }

  private placeholder(): Binding {
    return { name: '=>', hoisted: false, rename: false, perIteration: false, captured: false, owner: undefined, id: undefined, box: undefined, inClosure: true };
  }

  private visitClass(node: ts.ClassLikeDeclaration): void {
    if (this.options.decoratorMetadata && hasDecorators(this.t, node)) {
      unsupported(node, 'a decorated class in the body of a coroutine with emitDecoratorMetadata (its type ' +
        'annotations become references to names the lowering renames)');
    }
    for (const clause of node.heritageClauses ?? []) for (const type of clause.types) this.visit(type.expression);
    const scope = this.pushScope(false, false, true, undefined);
    // Inside its body a class sees its own (inner, immutable) name binding, for declarations too.
    if (node.name) this.declare(node.name, scope, false, false);
    for (const member of node.members) this.visit(member);
    this.scopes.pop();
  }

  private isInsideClosure(): boolean {
    const scope = this.scopes[this.scopes.length - 1];
    return scope !== undefined && scope.isClosure;
  }

  private visitBlock(statements: readonly ts.Statement[], owner: ts.Node, yieldOwner: ts.Node, inLoop: boolean,
    clauses?: readonly ts.CaseOrDefaultClause[]): void {
    const flattened = this.analysis.containsYield(yieldOwner) && !this.isInsideClosure();
    const scope = this.pushScope(false, inLoop && flattened, false, owner);
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

  private visitLoop(node: ts.IterationStatement): void {
    const t = this.t;
    const exploded = this.analysis.containsYield(node) && !this.isInsideClosure();
    const scope = this.pushScope(false, exploded, false, node, !exploded);
    const initializer = t.isForStatement(node) || t.isForInStatement(node) || t.isForOfStatement(node) ? node.initializer : undefined;
    if (initializer !== undefined && t.isVariableDeclarationList(initializer) &&
        (initializer.flags & t.NodeFlags.BlockScoped) !== 0) {
      for (const d of initializer.declarations) this.declarePattern(d.name, scope, exploded, exploded);
    }
    const iterated = t.isForInStatement(node) || t.isForOfStatement(node) ? node.expression : undefined;
    if (iterated !== undefined) {
      // The iterated expression is evaluated outside the loop's per-iteration scope.
      this.scopes.pop();
      this.visit(iterated);
      this.scopes.push(scope);
    }
    t.forEachChild(node, (child) => {
      if (child === iterated) return;
      // A block body makes its own scope entry each iteration.
      if (t.isBlock(child) && child === node.statement) this.visitBlock(child.statements, child, child, true);
      else this.visit(child);
    });
    this.scopes.pop();
  }

  private reportAnnexB(node: ts.FunctionDeclaration): void {
    unsupported(node.name ?? node, 'a function declaration in a block of sloppy-mode code (the function-scoped ' +
      'binding JavaScript also gives it would be lost)');
  }

  private visitCatch(node: ts.CatchClause): void {
    const exploded = this.analysis.containsYield(node.parent) && !this.isInsideClosure();
    const scope = this.pushScope(false, false, false, node);
    const before = this.bindings.length;
    if (node.variableDeclaration) this.declarePattern(node.variableDeclaration.name, scope, exploded, exploded);
    // A destructured parameter becomes `var`s below ES2015 (a plain one stays a catch parameter).
    if (!exploded && node.variableDeclaration !== undefined && !this.t.isIdentifier(node.variableDeclaration.name) &&
        scope.inExplodedLoop && !scope.inNativeLoop && !scope.isClosure) {
      for (let i = before; i < this.bindings.length; i++) this.bindings[i].nativeInLoop = true;
    }
    this.visitBlock(node.block.statements, node.block, node.block, false);
    this.scopes.pop();
  }
}

/** `<div>`, `<my-tag>`: a lowercase or dashed name is an intrinsic element (a string), not a binding. */
function isIntrinsicTag(t: typeof ts, tag: ts.JsxTagNameExpression): boolean {
  return t.isIdentifier(tag) && (/^[a-z]/.test(tag.text) || tag.text.includes('-')) || t.isJsxNamespacedName(tag);
}

/** Initializers or computed keys in the parameter list (ECMAScript's ContainsExpression of the formals). */
function hasParameterExpressions(t: typeof ts, fn: ts.SignatureDeclaration): boolean {
  const visit = (n: ts.Node): boolean => t.isParameter(n) && n.initializer !== undefined ||
    t.isBindingElement(n) && (n.initializer !== undefined || n.propertyName !== undefined && t.isComputedPropertyName(n.propertyName)) ||
    (t.forEachChild(n, visit) ?? false);
  return fn.parameters.some((p) => !(t.isIdentifier(p.name) && p.name.text === 'this') && visit(p));
}
