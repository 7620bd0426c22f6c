/**
 * Statements of a coroutine body. A statement that contains no yield is
 * emitted as written (native.ts); one that does is "exploded" into cases:
 * labels, conditional jumps and yields (see emitter.ts for the notation).
 * Declarations in the lists being flattened are hoisted (hoist.ts), so here
 * they become assignments.
 */
import type * as ts from 'typescript';
import { unsupported } from './diagnostics';
import { isErased, isUsing } from './analysis';
import { Completion, FunctionLowering, JumpBlock, TryBlock } from './emitter';
import { lowerExpression, lowerExpressionStatement, spill } from './expressions';
import { lowerClass } from './literals';
import { classValue, identifier, nativeExpression, nativeStatement, patternToAssignmentTarget, renamedOnly, keepIteration } from './native';
import { installTryParts, lowerDestructuring } from './destructuring';
import type { Box } from './hoist';

/**
 * Entering a lowered block: fresh boxes for its per-iteration bindings, then
 * its function declarations, made here as at the entry of a block in
 * JavaScript (each entry makes new function objects, which see that entry's
 * bindings).
 * [lowered]  b_1 = {}; f_1 = ((b_1) => function f() { ... })(b_1);
 */
function enterBlock(L: FunctionLowering, owner: ts.Node): void {
  const t = L.t;
  const f = L.f;
  L.enterScope(owner);
  for (const fn of L.hoisting.blockFunctions.get(owner) ?? []) {
    const visited = (L.lowerNested(fn, L.renamed) ?? renamedOnly(L, fn)) as ts.FunctionDeclaration;
    let value: ts.Expression = f.createFunctionExpression(visited.modifiers?.filter((m) => !t.isDecorator(m)) as ts.Modifier[] | undefined,
      visited.asteriskToken, fn.name && f.createIdentifier(fn.name.text), visited.typeParameters, visited.parameters,
      visited.type, visited.body!);
    L.emit(t.setTextRange(L.assign(identifier(L, fn.name!, false), keepIteration(L, fn, value)), fn));
  }
}

/** Lowers a statement list that is being flattened into cases. */
export function lowerStatements(L: FunctionLowering, statements: readonly ts.Statement[]): void {
  for (let i = 0; i < statements.length; i++) {
    if (isUsing(L.t, statements[i])) return lowerUsing(L, statements.slice(i));
    lowerStatement(L, statements[i]);
  }
}

/**
 * The rest of a statement list from a `using` declaration on: the resources' scope. Later
 * `using` declarations of the list join it (all are disposed in reverse order as it ends).
 * [source]   using r = e; S
 * [lowered]  env = disposables();
 *            try { r = addDisposable(env, e'); S } catch (err) { disposeFailed(env, err); } finally { disposeAll(env); }
 */
function lowerUsing(L: FunctionLowering, statements: readonly ts.Statement[]): void {
  const env = L.newTemp('env');
  L.emitAt(L.assign(env, L.runtimeCall('disposables', [])), statements[0]);
  lowerDisposalScope(L, env, () => {
    for (const s of statements) {
      if (!isUsing(L.t, s)) {
        lowerStatement(L, s);
        continue;
      }
      declareUsing(L, (s as ts.VariableStatement).declarationList, env);
    }
  });
}

/** `r = addDisposable(env, e')` for each declaration of a `using` list. */
function declareUsing(L: FunctionLowering, list: ts.VariableDeclarationList, env: ts.Identifier): void {
  for (const d of usingDeclarations(L, list)) {
    const value = d.initializer === undefined ? L.f.createVoidZero() : lowerExpression(L, d.initializer);
    L.emit(L.t.setTextRange(L.assign(identifier(L, d.name as ts.Identifier, false), L.runtimeCall('addDisposable', [env, value])), d));
  }
}

/** The declarations of a `using` list; `await using` (a syntax error in a generator) is declined. */
function usingDeclarations(L: FunctionLowering, list: ts.VariableDeclarationList): readonly ts.VariableDeclaration[] {
  if ((list.flags & L.t.NodeFlags.AwaitUsing) === L.t.NodeFlags.AwaitUsing) return unsupported(list, '`await using`');
  for (const d of list.declarations) {
    if (!L.t.isIdentifier(d.name)) return unsupported(d.name, 'a destructuring pattern in a `using` declaration');
  }
  return list.declarations;
}

/** `body` as a disposal scope on `env` (TypeScript's own helpers do the same with a try statement). */
function lowerDisposalScope(L: FunctionLowering, env: ts.Identifier, body: () => void): void {
  const f = L.f;
  lowerTryParts(L, {
    tryPart: body,
    catchPart: (error) => L.emit(f.createExpressionStatement(L.runtimeCall('disposeFailed', [env, error]))),
    finallyPart: () => L.emit(f.createExpressionStatement(L.runtimeCall('disposeAll', [env]))),
  });
}

export function lowerStatement(L: FunctionLowering, node: ts.Statement, labels: string[] = []): void {
  const t = L.t;
  if (isErased(t, node)) return; // `declare const x`, types: nothing at run time
  // Declarations in a flattened list are hoisted, with or without a yield.
  if (t.isVariableStatement(node)) return lowerVariableStatement(L, node);
  if (t.isFunctionDeclaration(node)) return; // moved to the outer function by build.ts
  if (t.isClassDeclaration(node)) return lowerClassDeclaration(L, node);
  if (t.isEnumDeclaration(node) || t.isModuleDeclaration(node)) {
    // Their emitted `var` would belong to one step call; keep them out of flattened lists.
    if (!isTypeOnly(L, node)) return unsupported(node, 'an enum or namespace declaration in the body of a coroutine');
  }
  // Jumps and returns at this level end the case, yield or not.
  if (t.isReturnStatement(node)) return L.emitTerminalAt(L.returnStatements(node.expression && lowerExpression(L, node.expression)), node);
  if (t.isBreakOrContinueStatement(node) && L.findJumpBlock(t.isContinueStatement(node), node.label?.text) !== undefined) {
    return L.emitTerminalAt(L.breakOrContinue(t.isContinueStatement(node), node.label?.text, node), node);
  }
  if (!L.analysis.containsYield(node)) {
    L.emit(nativeStatement(L, node));
    return;
  }
  if (t.isExpressionStatement(node)) return lowerExpressionStatement(L, node.expression, node);
  if (t.isBlock(node)) {
    enterBlock(L, node);
    return lowerStatements(L, node.statements);
  }
  if (t.isIfStatement(node)) return lowerIf(L, node);
  if (t.isThrowStatement(node)) {
    const value = lowerExpression(L, node.expression);
    return L.emitTerminal([t.setTextRange(L.f.createThrowStatement(value), node)]);
  }
  if (t.isLabeledStatement(node)) return lowerLabeled(L, node, labels);
  if (t.isWhileStatement(node)) return lowerWhile(L, node, labels);
  if (t.isDoStatement(node)) return lowerDo(L, node, labels);
  if (t.isForStatement(node)) return lowerFor(L, node, labels);
  if (t.isForInStatement(node)) return lowerForIn(L, node, labels);
  if (t.isForOfStatement(node)) return lowerForOf(L, node, labels);
  if (t.isSwitchStatement(node)) return lowerSwitch(L, node, labels);
  if (t.isTryStatement(node)) return lowerTry(L, node);
  return unsupported(node, 'a ' + t.SyntaxKind[node.kind] + ' containing a yield');
}

/**
 * [source]   let a = e1, { b } = e2;
 * [lowered]  a = e1'; ({ b: b_1 } = e2');        (`let x;` alone resets x to undefined)
 */
function lowerVariableStatement(L: FunctionLowering, node: ts.VariableStatement): void {
  const t = L.t;
  const f = L.f;
  if ((node.declarationList.flags & t.NodeFlags.Using) !== 0) {
    return unsupported(node, 'a `using` declaration in the body of a coroutine');
  }
  const isLexical = (node.declarationList.flags & t.NodeFlags.BlockScoped) !== 0;
  for (const d of node.declarationList.declarations) {
    if (d.initializer === undefined) {
      // A fresh `let x;` each time it runs (in a loop body, the old value must not survive).
      if (isLexical && t.isIdentifier(d.name)) L.emit(t.setTextRange(L.assign(identifier(L, d.name, false), f.createVoidZero()), d));
      continue;
    }
    const value = lowerExpression(L, d.initializer);
    if (!t.isIdentifier(d.name) && L.analysis.containsYield(d.name)) {
      lowerDestructuring(L, d.name, value);
      continue;
    }
    const target = patternToAssignmentTarget(L, d.name, (n) => nativeExpression(L, n as ts.Expression));
    L.emit(t.setTextRange(f.createExpressionStatement(f.createAssignment(target, value)), d));
  }
}

/**
 * An ambient (`declare`) enum or namespace emits nothing at run time. A
 * `const enum` may still be emitted (isolatedModules, transpileModule), so it
 * is treated like any enum.
 */
function isTypeOnly(L: FunctionLowering, node: ts.EnumDeclaration | ts.ModuleDeclaration): boolean {
  const t = L.t;
  return node.modifiers?.some((m) => m.kind === t.SyntaxKind.DeclareKeyword) ?? false;
}

/**
 * [source]   class C {...}
 * [lowered]  C_1 = (() => { class C {...} return C; })();   (the name is hoisted)
 * A class declaration, not a class expression: TypeScript's class-fields pass
 * moves static initializers and static blocks out of a class *expression* and
 * would leave their references to the class's own name pointing nowhere (a
 * ReferenceError); for a declaration it gives them the class's alias. The
 * arrow keeps `this` and `arguments` the body's.
 */
function lowerClassDeclaration(L: FunctionLowering, node: ts.ClassDeclaration): void {
  const t = L.t;
  const f = L.f;
  if (node.name === undefined) return unsupported(node, 'a class declaration without a name');
  let value: ts.Expression;
  if (L.analysis.containsYield(node)) {
    value = lowerClass(L, node) as ts.ClassExpression;
  } else {
    // A fresh name node: the class's own name is not the hoisted binding it is assigned to. An update,
    // not a new node: TypeScript's decorator and class-field passes find the source class through it
    // (they rewrite its name in static initializers to their alias only for that class).
    value = classValue(L, nativeStatement(L, f.updateClassDeclaration(node, node.modifiers?.filter((m) => t.isDecorator(m)),
      f.createIdentifier(node.name.text), node.typeParameters, node.heritageClauses, node.members)) as ts.ClassDeclaration);
  }
  L.emit(t.setTextRange(L.assign(identifier(L, node.name!, false), keepIteration(L, node, value)), node));
}

/**
 * [source]   if (c) A else B
 * [lowered]  if (!c') goto ELSE; A; goto END; ELSE: B; END:
 */
function lowerIf(L: FunctionLowering, node: ts.IfStatement): void {
  const f = L.f;
  const condition = lowerExpression(L, node.expression);
  const thenYields = L.analysis.containsYield(node.thenStatement);
  const elseYields = L.analysis.containsYield(node.elseStatement);
  if (!thenYields && !elseYields) {
    L.emit(L.t.setTextRange(f.createIfStatement(condition, nativeStatement(L, node.thenStatement),
      node.elseStatement && nativeStatement(L, node.elseStatement)), node));
    return;
  }
  const end = L.defineLabel();
  const otherwise = node.elseStatement ? L.defineLabel() : end;
  L.emitAt(f.createIfStatement(f.createLogicalNot(condition), f.createBlock(L.goto(otherwise))), node.expression);
  lowerNested(L, node.thenStatement);
  if (node.elseStatement) {
    L.emitTerminal(L.goto(end));
    L.markLabel(otherwise);
    lowerNested(L, node.elseStatement);
  }
  L.markLabel(end);
}

/** A nested statement: a block is flattened; anything else is lowered in place. */
function lowerNested(L: FunctionLowering, node: ts.Statement, labels: string[] = []): void {
  // Without a yield a block stays native, with its own scope (hoist.ts agrees: it flattens only blocks with one).
  if (L.t.isBlock(node) && !L.analysis.containsYield(node)) {
    L.emit(nativeStatement(L, node));
  } else if (L.t.isBlock(node)) {
    enterBlock(L, node);
    lowerStatements(L, node.statements);
  } else {
    lowerStatement(L, node, labels);
  }
}

function lowerLabeled(L: FunctionLowering, node: ts.LabeledStatement, labels: string[]): void {
  const all = [...labels, node.label.text];
  const inner = node.statement;
  if (L.t.isIterationStatement(inner, false) || L.t.isLabeledStatement(inner)) {
    lowerStatement(L, inner, all);
    return;
  }
  const end = L.defineLabel();
  withJumpBlock(L, { labels: all, isLoop: false, takesPlainBreak: false, breakLabel: end, continueLabel: 0 },
    () => lowerNested(L, inner));
  L.markLabel(end);
}

/** Runs `body` with a break/continue target pushed. */
function withJumpBlock(L: FunctionLowering, block: Omit<JumpBlock, 'kind' | 'breakDepth'> & { breakDepth?: number },
  body: () => void): void {
  L.blocks.push({ kind: 'jump', breakDepth: block.breakDepth ?? L.blocks.length, ...block } as JumpBlock);
  body();
  L.blocks.pop();
}

function loopBlock(labels: string[], breakLabel: number, continueLabel: number) {
  return { labels, isLoop: true, takesPlainBreak: true, breakLabel, continueLabel };
}

/**
 * [source]   while (c) S
 * [lowered]  HEAD: if (!c') goto END; S; goto HEAD; END:
 */
function lowerWhile(L: FunctionLowering, node: ts.WhileStatement, labels: string[]): void {
  const head = L.defineLabel();
  const end = L.defineLabel();
  L.markLabel(head);
  L.emitAt(L.f.createIfStatement(L.f.createLogicalNot(lowerExpression(L, node.expression)), L.f.createBlock(L.goto(end))), node.expression);
  withJumpBlock(L, loopBlock(labels, end, head), () => lowerNested(L, node.statement));
  L.emitTerminal(L.goto(head));
  L.markLabel(end);
  L.rotateLoop(head, end);
}

/**
 * [source]   do S while (c)
 * [lowered]  BODY: S; COND: if (c') goto BODY; END:
 */
function lowerDo(L: FunctionLowering, node: ts.DoStatement, labels: string[]): void {
  const body = L.defineLabel();
  const condition = L.defineLabel();
  const end = L.defineLabel();
  L.markLabel(body);
  withJumpBlock(L, loopBlock(labels, end, condition), () => lowerNested(L, node.statement));
  L.markLabel(condition);
  L.emitAt(L.f.createIfStatement(lowerExpression(L, node.expression), L.f.createBlock(L.goto(body))), node.expression);
  L.markLabel(end);
}

/**
 * [source]   for (init; c; step) S
 * [lowered]  init'; HEAD: if (!c') goto END; S; STEP: step'; goto HEAD; END:
 */
function lowerFor(L: FunctionLowering, node: ts.ForStatement, labels: string[]): void {
  const t = L.t;
  const init = node.initializer;
  enterBlock(L, node);
  if (init !== undefined && isUsing(t, init)) {
    // `for (using r = e; ...)`: one disposal scope around the whole loop.
    const env = L.newTemp('env');
    L.emitAt(L.assign(env, L.runtimeCall('disposables', [])), init);
    lowerDisposalScope(L, env, () => {
      declareUsing(L, init as ts.VariableDeclarationList, env);
      lowerForLoop(L, node, labels);
    });
    return;
  }
  if (init !== undefined) {
    if (t.isVariableDeclarationList(init)) lowerVariableStatement(L, L.f.createVariableStatement(undefined, init));
    else lowerExpressionStatement(L, init, init);
  }
  // The first iteration gets its own copy too, so a closure made in the initializer keeps the initial
  // values (needed only when there is one: otherwise nothing could see the difference).
  if (init !== undefined && usesBox(L, init, L.hoisting.boxes.get(node))) copyBox(L, node);
  lowerForLoop(L, node, labels);
}

/** A `for` loop after its initializer. */
function lowerForLoop(L: FunctionLowering, node: ts.ForStatement, labels: string[]): void {
  const head = L.defineLabel();
  const step = L.defineLabel();
  const end = L.defineLabel();
  L.markLabel(head);
  if (node.condition) {
    L.emitAt(L.f.createIfStatement(L.f.createLogicalNot(lowerExpression(L, node.condition)), L.f.createBlock(L.goto(end))), node.condition);
  }
  withJumpBlock(L, loopBlock(labels, end, step), () => lowerNested(L, node.statement));
  L.markLabel(step);
  copyBox(L, node);
  if (node.incrementor) lowerExpressionStatement(L, node.incrementor, node.incrementor);
  L.emitTerminal(L.goto(head));
  L.markLabel(end);
  L.rotateLoop(head, end);
}

/** True if a closure in `node` keeps `box` (see Hoisting.closureBoxes). */
function usesBox(L: FunctionLowering, node: ts.Node, box: Box | undefined): boolean {
  if (box === undefined) return false;
  const visit = (n: ts.Node): boolean => L.hoisting.closureBoxes.get(n)?.has(box) === true || L.t.forEachChild(n, visit) === true;
  return visit(node);
}

/** CreatePerIterationEnvironment: the next (or first) iteration gets a copy of the loop's boxed bindings. */
function copyBox(L: FunctionLowering, node: ts.ForStatement): void {
  const box = L.hoisting.boxes.get(node);
  if (box === undefined) return;
  const f = L.f;
  L.emit(L.assign(box.id, f.createObjectLiteralExpression(box.names.map((n) =>
    f.createPropertyAssignment(n, f.createPropertyAccessExpression(box.id, n))), false)));
}

/** The assignment of one iteration's value to a for-in/for-of head (`const x`, `[a, b]`, `o.p`). */
function assignLoopTarget(L: FunctionLowering, loop: ts.Node, initializer: ts.ForInitializer, value: ts.Expression): void {
  const t = L.t;
  const f = L.f;
  enterBlock(L, loop);
  let target: ts.Expression;
  if (t.isVariableDeclarationList(initializer)) {
    const d = initializer.declarations[0];
    if (!t.isIdentifier(d.name) && L.analysis.containsYield(d.name)) return lowerDestructuring(L, d.name, value);
    target = patternToAssignmentTarget(L, d.name, (n) => nativeExpression(L, n as ts.Expression));
  } else {
    if (L.analysis.containsYield(initializer)) return lowerDestructuring(L, initializer, value);
    target = nativeExpression(L, initializer);
  }
  L.emit(f.createExpressionStatement(f.createAssignment(target as ts.LeftHandSideExpression, value)));
}

/**
 * [source]   for (k in o) S
 * [lowered]  obj = toObject(o'); keys = forInKeys(obj); i = 0;
 *            HEAD: if (!(i < keys.length)) goto END; key = keys[i++];
 *                  if (!(key in obj)) goto HEAD;  (deleted meanwhile: skipped, as for-in does)
 *                  k = key; S; goto HEAD; END:
 */
function lowerForIn(L: FunctionLowering, node: ts.ForInStatement, labels: string[]): void {
  const f = L.f;
  // ToObject first: the `in` check below throws on a primitive (a string's keys are its indexes).
  const object = spill(L, L.runtimeCall('toObject', [lowerExpression(L, node.expression)]));
  const keys = L.newTemp('keys');
  const index = L.newTemp('i');
  const key = L.newTemp('k');
  L.emit(L.assign(keys, L.runtimeCall('forInKeys', [object])));
  L.emit(L.assign(index, L.num(0)));
  const head = L.defineLabel();
  const end = L.defineLabel();
  L.markLabel(head);
  L.emit(f.createIfStatement(f.createLogicalNot(f.createLessThan(index, f.createPropertyAccessExpression(keys, 'length'))),
    f.createBlock(L.goto(end))));
  L.emit(L.assign(key, f.createElementAccessExpression(keys, f.createPostfixIncrement(index))));
  L.emit(f.createIfStatement(f.createLogicalNot(f.createBinaryExpression(key, L.t.SyntaxKind.InKeyword, object)),
    f.createBlock(L.goto(head))));
  assignLoopTarget(L, node, node.initializer, key);
  withJumpBlock(L, loopBlock(labels, end, head), () => lowerNested(L, node.statement));
  L.emitTerminal(L.goto(head));
  L.markLabel(end);
}

/**
 * for-of closes its iterator when the loop is left early (break, return,
 * throw, or the coroutine closed while suspended inside it): the loop runs
 * inside a try/finally region whose finally calls `return()` on the iterator
 * if an iteration is in progress.
 * [lowered]  it = iterate(o');
 *            try { HEAD: active = false; r = it.next(); if (r.done) goto END;
 *                        v = r.value; active = true; x = v; S; goto HEAD; }
 *            finally { if (active) { active = false; closeIterator(it, fk === throw); } }
 *            END:
 */
function lowerForOf(L: FunctionLowering, node: ts.ForOfStatement, labels: string[]): void {
  const f = L.f;
  if (node.awaitModifier) return unsupported(node, 'for await');
  const iterator = L.newTemp('it');
  const step = L.newTemp('r');
  const active = L.newTemp('active');
  L.emitAt(L.assign(iterator, L.runtimeCall('iterate', [lowerExpression(L, node.expression)])), node.expression);
  L.emit(L.assign(active, f.createFalse()));
  const end = L.defineLabel();
  const tryDepth = L.blocks.length;
  lowerTryParts(L, {
    tryPart: () => {
      const head = L.defineLabel();
      L.markLabel(head);
      L.emit(L.assign(active, f.createFalse()));
      L.emit(L.assign(step, f.createCallExpression(f.createPropertyAccessExpression(iterator, 'next'), undefined, [])));
      L.emit(f.createIfStatement(f.createPropertyAccessExpression(step, 'done'), f.createBlock(L.jumpStatements(end, tryDepth))));
      // The value is read before the iterator counts as open: if its getter throws, it is not closed.
      const value = L.newTemp('v');
      L.emit(L.assign(value, f.createPropertyAccessExpression(step, 'value')));
      L.emit(L.assign(active, f.createTrue()));
      const loop = { ...loopBlock(labels, end, head), breakDepth: tryDepth };
      if (isUsing(L.t, node.initializer)) {
        // `for (using r of ...)`: each iteration is a disposal scope, disposed before the iterator is closed.
        usingDeclarations(L, node.initializer as ts.VariableDeclarationList); // declines `await using` and patterns
        const env = L.newTemp('env');
        L.emit(L.assign(env, L.runtimeCall('disposables', [])));
        withJumpBlock(L, loop, () => lowerDisposalScope(L, env, () => {
          assignLoopTarget(L, node, node.initializer, L.runtimeCall('addDisposable', [env, value]));
          lowerNested(L, node.statement);
        }));
      } else {
        assignLoopTarget(L, node, node.initializer, value);
        withJumpBlock(L, loop, () => lowerNested(L, node.statement));
      }
      L.emitTerminal(L.goto(head));
    },
    finallyPart: (kind) => {
      L.emit(f.createIfStatement(active, f.createBlock([
        L.assign(active, f.createFalse()),
        f.createExpressionStatement(L.runtimeCall('closeIterator', [iterator,
          f.createStrictEquality(kind, L.num(Completion.throw))])),
      ])));
    },
  });
  L.markLabel(end);
}

/**
 * [source]   switch (d) { case a: A; default: D; case b: B }
 * [lowered]  v = d'; if (v === a') goto CA; if (v === b') goto CB; goto CD;
 *            CA: A; CD: D; CB: B; END:          (tests run lazily and in order)
 */
function lowerSwitch(L: FunctionLowering, node: ts.SwitchStatement, labels: string[]): void {
  const f = L.f;
  const t = L.t;
  const discriminant = L.newTemp('d');
  L.emitAt(L.assign(discriminant, lowerExpression(L, node.expression)), node.expression);
  enterBlock(L, node.caseBlock);
  const end = L.defineLabel();
  const clauseLabels = node.caseBlock.clauses.map(() => L.defineLabel());
  let defaultLabel = end;
  node.caseBlock.clauses.forEach((clause, i) => {
    if (t.isDefaultClause(clause)) {
      defaultLabel = clauseLabels[i];
      return;
    }
    const test = lowerExpression(L, clause.expression);
    L.emit(f.createIfStatement(f.createStrictEquality(discriminant, test), f.createBlock(L.goto(clauseLabels[i]))));
  });
  L.emitTerminal(L.goto(defaultLabel));
  withJumpBlock(L, { labels, isLoop: false, takesPlainBreak: true, breakLabel: end, continueLabel: 0 }, () => {
    node.caseBlock.clauses.forEach((clause, i) => {
      L.markLabel(clauseLabels[i]);
      lowerStatements(L, clause.statements);
    });
  });
  L.markLabel(end);
}

/**
 * [source]   try { A } catch (e) { B } finally { C }
 * [lowered]  m.h = CATCH; m.f = FIN; A; goto FIN;
 *            CATCH: e = m.cv; m.ck = 0; m.cv = undefined; m.h = FIN; B; goto FIN;
 *            FIN: fk = m.ck; fv = m.cv; m.ck = 0; m.cv = undefined; m.h = outer; m.f = outer; C;
 *                 if (fk === throw) throw fv; if (fk === return) <return fv>;
 *                 if (fk === jump) <jump to fv>;
 *            END:
 */
function lowerTry(L: FunctionLowering, node: ts.TryStatement): void {
  const t = L.t;
  const clause = node.catchClause;
  lowerTryParts(L, {
    tryPart: () => lowerNested(L, node.tryBlock),
    catchPart: clause && ((error) => {
      enterBlock(L, clause);
      const binding = clause.variableDeclaration?.name;
      if (binding !== undefined) {
        if (!t.isIdentifier(binding) && L.analysis.containsYield(binding)) {
          lowerDestructuring(L, binding, error);
          lowerNested(L, clause.block);
          return;
        }
        const target = patternToAssignmentTarget(L, binding, (n) => nativeExpression(L, n as ts.Expression));
        L.emitAt(L.f.createExpressionStatement(L.f.createAssignment(target, error)), clause.variableDeclaration!);
      }
      lowerNested(L, clause.block);
    }),
    finallyPart: node.finallyBlock && (() => lowerNested(L, node.finallyBlock!)),
  });
}

interface TryParts {
  tryPart: () => void;
  catchPart?: (error: ts.Expression) => void;
  /** Gets the pending completion's kind temporary. */
  finallyPart?: (kind: ts.Identifier) => void;
}

installTryParts((L, tryPart, finallyPart) => lowerTryParts(L, { tryPart, finallyPart }));

/** The region machinery shared by `try`, for-of and array destructuring. */
function lowerTryParts(L: FunctionLowering, parts: TryParts): void {
  const f = L.f;
  L.hasTry = true;
  L.needsRegisters = true;
  const outer = L.registersAt(L.blocks.length);
  const catchLabel = parts.catchPart ? L.defineLabel() : 0;
  const finallyLabel = parts.finallyPart ? L.defineLabel() : 0;
  const end = L.defineLabel();
  const block: TryBlock = { kind: 'try', part: 'try', catchLabel, finallyLabel, jumpTargets: new Map() };
  L.blocks.push(block);
  for (const s of L.setRegisters(L.registersAt(L.blocks.length))) L.emit(s);
  parts.tryPart();
  L.emitTerminal(L.goto(finallyLabel || end));
  if (parts.catchPart) {
    L.markLabel(catchLabel);
    block.part = 'catch';
    const error = L.newTemp('e');
    L.emit(L.assign(error, L.field('cv')));
    L.emit(L.assign(L.field('ck'), L.num(Completion.normal)));
    L.emit(L.assign(L.field('cv'), f.createVoidZero()));
    for (const s of L.setRegisters(L.registersAt(L.blocks.length))) L.emit(s);
    parts.catchPart(error);
    L.emitTerminal(L.goto(finallyLabel || end));
  }
  if (parts.finallyPart) {
    L.markLabel(finallyLabel);
    block.part = 'finally';
    const kind = L.newTemp('fk');
    const value = L.newTemp('fv');
    L.emit(L.assign(kind, L.field('ck')));
    L.emit(L.assign(value, L.field('cv')));
    L.emit(L.assign(L.field('ck'), L.num(Completion.normal)));
    L.emit(L.assign(L.field('cv'), f.createVoidZero()));
    for (const s of L.setRegisters(outer)) L.emit(s);
    parts.finallyPart(kind);
    L.blocks.pop();
    emitCompletion(L, block, kind, value);
  } else {
    L.blocks.pop();
  }
  L.markLabel(end);
  if (!parts.finallyPart) for (const s of L.setRegisters(outer)) L.emit(s);
}

/** The end of a finally: carry on with the completion that entered it. */
function emitCompletion(L: FunctionLowering, block: TryBlock, kind: ts.Identifier, value: ts.Identifier): void {
  const f = L.f;
  const is = (k: number) => f.createStrictEquality(kind, L.num(k));
  L.emit(f.createIfStatement(is(Completion.throw), f.createThrowStatement(value)));
  // Always: `return()` may arrive at any yield of the region, not only at a `return` statement.
  L.emit(f.createIfStatement(is(Completion.return), f.createBlock(L.returnStatements(value))));
  if (block.jumpTargets.size > 0) {
    const clauses = [...block.jumpTargets].map(([target, depth]) =>
      f.createCaseClause(L.num(target), L.jumpStatements(target, depth)));
    L.emit(f.createIfStatement(is(Completion.jump), f.createSwitchStatement(value, f.createCaseBlock(clauses))));
  }
}
