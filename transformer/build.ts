/**
 * Assembles a lowered generator function from the cases the statements made.
 *
 * [source]   function* (a) { ...body... }
 * [lowered]  function (a) {
 *              var args_1 = arguments;            (only if the body reads `arguments`)
 *              var x, t_1, ...;                   (hoisted bindings and temporaries)
 *              function hoisted() {...}           (function declarations of the body)
 *              return new __gencoro.StateMachine((m, value, mode) => {
 *                dispatch: for (;;) {
 *                  try {                          (only if a try statement was lowered)
 *                    switch (m.s) { case 0: ... case 1: ... }
 *                  } catch (e) { if (m.h === 0) throw e; m.ck = 1; m.cv = e; m.s = m.h; }
 *                }
 *              });
 *            }
 * The step is an arrow, so `this`, `super` and `new.target` keep meaning the
 * generator function's own.
 */
import type * as ts from 'typescript';
import { Completion, FunctionLowering } from './emitter';
import { unsupported } from './diagnostics';
import { renamedOnly } from './native';
import { FieldRewriter, stepLocals } from './fields';

export function buildBody(L: FunctionLowering, original: ts.Block, stepName?: ts.Identifier): ts.Block {
  const t = L.t;
  const f = L.f;
  const statements: ts.Statement[] = [];
  if (L.argumentsAlias !== undefined) {
    statements.push(f.createVariableStatement(undefined,
      [f.createVariableDeclaration(L.argumentsAlias, undefined, undefined, f.createIdentifier('arguments'))]));
  }
  const names = [...L.hoisting.hoisted, ...L.temps];
  if (names.length > 0) {
    statements.push(f.createVariableStatement(undefined, names.map((id) => f.createVariableDeclaration(id))));
  }
  for (const fn of L.hoisting.hoistedFunctions) {
    const moved = moveFunction(L, fn);
    const name = fn.name && L.renamed(fn.name);
    statements.push(name !== undefined && t.isIdentifier(name)
      ? f.updateFunctionDeclaration(moved, moved.modifiers, moved.asteriskToken, name, moved.typeParameters,
        moved.parameters, moved.type, moved.body)
      : moved);
  }
  const step = f.createArrowFunction(undefined, undefined,
    [param(f, L.m), param(f, L.value), param(f, L.mode)], undefined,
    f.createToken(t.SyntaxKind.EqualsGreaterThanToken), f.createBlock(stepBody(L, dispatchLoop(L), []), true));
  if (stepName !== undefined) {
    // `var load_1 = (m, value, mode) => ...`: the arrow gets the name, which is what a stack trace shows.
    statements.push(f.createVariableStatement(undefined, [f.createVariableDeclaration(stepName, undefined, undefined, step)]));
  }
  const machineClass = L.needsRegisters ? 'RegionStateMachine' : 'StateMachine';
  const machine = f.createNewExpression(f.createPropertyAccessExpression(L.runtime, machineClass), undefined, [stepName ?? step]);
  statements.push(f.createReturnStatement(machine));
  return t.setTextRange(f.createBlock(statements, true), original);
}

/**
 * The shared-step shape (locals as fields, see fields.ts): the step function
 * is made once where the generator function is, and each call makes only the
 * machine (runtime/lowered-coroutine.ts).
 * [source]   function* (a) { let x = yield a; function g() { return x; } ... }
 * [lowered]  entry: function (a) {
 *              var m = __gencoro.begin(step, 0);      (1: the body has try regions)
 *              m.this_1 = this; m.args_1 = arguments; (only if the body uses them)
 *              m.a_1 = a; m.x_1 = m.t_1 = void 0;      (every field, in one order: one shape)
 *              m.g_1 = function g() { return m.x_1; };
 *              return m;
 *            }
 *            step:  function (m, value, mode) { dispatch: for (;;) switch (m.s) { ... } }
 */
export function buildShared(L: FunctionLowering, original: ts.Block, stepName: ts.Identifier):
  { entry: ts.Block; step: ts.FunctionExpression; clear: ts.FunctionExpression | undefined } {
  const t = L.t;
  const f = L.f;
  const functions: Array<{ fn: ts.FunctionDeclaration; target: ts.Identifier; expr: ts.FunctionExpression }> = [];
  for (const fn of L.hoisting.hoistedFunctions) {
    const moved = moveFunction(L, fn);
    const expr = f.createFunctionExpression(moved.modifiers?.filter((m) => m.kind === t.SyntaxKind.AsyncKeyword) as ts.Modifier[] | undefined,
      moved.asteriskToken, fn.name && f.createIdentifier(fn.name.text), undefined, moved.parameters, undefined, moved.body!);
    functions.push({ fn, target: L.renamed(fn.name!) as ts.Identifier, expr });
  }
  const loop = dispatchLoop(L);
  const isParam = (id: ts.Identifier) => L.hoisting.params.some((b) => b.id === id);
  const candidates = [...L.hoisting.hoisted, ...L.temps].filter((id) => !isParam(id));
  const locals = stepLocals(t, loop, candidates, functions.map((x) => x.expr));
  const rw = new FieldRewriter(t, f, L.m);
  const params = L.hoisting.params.map((b) => ({ name: b.name, field: rw.add(b.id!) }));
  const argsField = L.argumentsAlias !== undefined ? rw.add(L.argumentsAlias) : undefined;
  const others = candidates.filter((id) => !locals.has(id)).map((id) => rw.add(id));
  const body = rw.rewrite(f.createBlock(stepBody(L, loop, candidates.filter((id) => locals.has(id))), true));
  const assignments = functions.map(({ fn, target, expr }) =>
    t.setTextRange(L.assign(rw.access(rw.add(target)), rw.rewrite(expr)), fn));
  const m = L.m;
  const statements: ts.Statement[] = [f.createVariableStatement(undefined, [f.createVariableDeclaration(m, undefined, undefined,
    L.runtimeCall('begin', [stepName, L.num(L.needsRegisters ? 1 : 0)]))])];
  if (rw.usedThis !== undefined) statements.push(L.assign(rw.access(rw.usedThis), f.createThis()));
  if (argsField !== undefined) statements.push(L.assign(rw.access(argsField), f.createIdentifier('arguments')));
  for (const p of params) statements.push(L.assign(rw.access(p.field), f.createIdentifier(p.name)));
  // Two groups, each one statement, so every machine gets its fields in one order (one shape).
  const numbers = others.filter((id) => startsAsNumber(L, id));
  const rest = others.filter((id) => !numbers.includes(id));
  for (const [group, initial] of [[rest, f.createVoidZero()], [numbers, L.num(0)]] as const) {
    if (group.length === 0) continue;
    statements.push(f.createExpressionStatement(group.reduceRight<ts.Expression>((value, name) =>
      f.createAssignment(rw.access(name), value), initial)));
  }
  statements.push(...assignments, f.createReturnStatement(m));
  const step = f.createFunctionExpression(undefined, undefined, undefined, undefined,
    [param(f, L.m), param(f, L.value), param(f, L.mode)], undefined, body);
  const fields = [...(rw.usedThis ? [rw.usedThis] : []), ...(argsField ? [argsField] : []), ...params.map((p) => p.field),
    ...others, ...functions.map((x) => x.target)];
  return { entry: t.setTextRange(f.createBlock(statements, true), original), step, clear: clearFunction(L, rw, fields) };
}

/**
 * What a finished coroutine no longer needs: its fields that no closure uses
 * (a closure may still run after the body has finished), and the completion
 * value register. The runtime calls it when the body has returned or thrown
 * (runtime/lowered-coroutine.ts), so a Future kept after its coroutine
 * finished does not keep the coroutine's locals reachable.
 * [lowered]  function (m) { m.x_1 = m.t_1 = m.cv = void 0; }
 */
function clearFunction(L: FunctionLowering, rw: FieldRewriter, fields: readonly ts.Identifier[]): ts.FunctionExpression | undefined {
  const f = L.f;
  const m = f.createUniqueName('m');
  const targets: ts.Expression[] = fields.filter((id) => !rw.captured.has(id) && !holdsScalars(L, id))
    .map((id) => f.createPropertyAccessExpression(m, id));
  if (L.needsRegisters) targets.push(f.createPropertyAccessExpression(m, 'cv'));
  if (targets.length === 0) return undefined;
  const clear = f.createExpressionStatement(targets.reduceRight<ts.Expression>((value, target) =>
    f.createAssignment(target, value), f.createVoidZero()));
  return f.createFunctionExpression(undefined, undefined, undefined, undefined, [param(f, m)], undefined,
    f.createBlock([clear], false));
}

/**
 * A binding that only ever holds numbers or booleans (or undefined/null):
 * clearing it would free nothing. By its type when there is a checker;
 * without one, by a `number`/`boolean` annotation or, with none, a number or
 * boolean literal initializer. (A program that breaks its types here only
 * keeps a value reachable longer, never behaves differently.)
 */
function holdsScalars(L: FunctionLowering, id: ts.Identifier): boolean {
  const t = L.t;
  const name = L.hoisting.bindingOf(id)?.declaration;
  if (name === undefined) return false;
  const scalar = t.TypeFlags.NumberLike | t.TypeFlags.BooleanLike | t.TypeFlags.Undefined | t.TypeFlags.Null | t.TypeFlags.Void;
  return holdsOnly(L, name, scalar, [t.SyntaxKind.NumberKeyword, t.SyntaxKind.BooleanKeyword], true);
}

/**
 * Whether the binding declared by `name` only holds values of `flags`: by its
 * type when there is a checker; without one, by its annotation (one of
 * `keywords`) or, with none, a number (or, with `booleans`, boolean) literal
 * initializer.
 */
function holdsOnly(L: FunctionLowering, name: ts.Identifier, flags: ts.TypeFlags, keywords: readonly ts.SyntaxKind[],
  booleans: boolean): boolean {
  const t = L.t;
  if (L.checker !== undefined) {
    const type = L.checker.getTypeAtLocation(name);
    return (type.isUnion() ? type.types : [type]).every((x) => (x.flags & flags) !== 0);
  }
  const decl = name.parent as ts.Node | undefined; // undefined on a node another transformer made
  if (decl === undefined || !(t.isParameter(decl) || t.isVariableDeclaration(decl)) || decl.name !== name) return false;
  if (decl.type !== undefined) return keywords.includes(decl.type.kind);
  if (t.isParameter(decl)) return false;
  let init = decl.initializer;
  if (init !== undefined && t.isPrefixUnaryExpression(init) && init.operator === t.SyntaxKind.MinusToken) init = init.operand;
  return init !== undefined && (t.isNumericLiteral(init) ||
    booleans && (init.kind === t.SyntaxKind.TrueKeyword || init.kind === t.SyntaxKind.FalseKeyword));
}

/**
 * A `let`/`const` field that only ever holds numbers starts as `0`, not
 * undefined. Why: V8 tracks what each field of an object's shape has held;
 * a field that has only held small integers is read and written as an
 * untagged integer in optimized code, and one undefined makes it a generic
 * value for good. A tight lowered loop over such a field ran about 1.4x slower
 * (bench (a): 4.6 ns against 3.4 ns per yield; in some processes 8.5 ns).
 * Why this cannot change behaviour: the lowering writes such a binding at its
 * declaration (`let x;` writes undefined), so its first value can only be read
 * before the declaration, which is a ReferenceError (TDZ) in JavaScript and
 * already not kept by the lowering (README, limitations). A `var` can be read
 * as undefined before its declaration, so it keeps `void 0`.
 * [lowered]  m.s_1 = m.t_1 = void 0; m.i_1 = m.acc_1 = 0;
 */
function startsAsNumber(L: FunctionLowering, id: ts.Identifier): boolean {
  const t = L.t;
  const name = L.hoisting.bindingOf(id)?.declaration;
  if (name === undefined || name.parent === undefined) return false; // a node another transformer made
  if ((t.getCombinedNodeFlags(name.parent) & t.NodeFlags.BlockScoped) === 0 || !t.isVariableDeclaration(name.parent)) return false;
  return holdsOnly(L, name, t.TypeFlags.NumberLike, [t.SyntaxKind.NumberKeyword], false);
}

function param(f: ts.NodeFactory, id: ts.Identifier): ts.ParameterDeclaration {
  return f.createParameterDeclaration(undefined, undefined, id);
}

function dispatchLoop(L: FunctionLowering): ts.Statement {
  const f = L.f;
  const clauses = L.finishCases().map((c) => f.createCaseClause(L.num(c.label), c.statements));
  const switchStatement = f.createSwitchStatement(L.field('s'), f.createCaseBlock(clauses));
  let inner: ts.Statement = switchStatement;
  if (L.hasTry) {
    const error = f.createUniqueName('e');
    inner = f.createTryStatement(f.createBlock([switchStatement], true), f.createCatchClause(error, f.createBlock([
      f.createIfStatement(f.createStrictEquality(L.field('h'), L.num(0)), f.createThrowStatement(error)),
      L.assign(L.field('ck'), L.num(Completion.throw)),
      L.assign(L.field('cv'), error),
      L.assign(L.field('s'), L.field('h')),
    ], true)), undefined);
  }
  const loop = f.createForStatement(undefined, undefined, undefined, f.createBlock([inner], true));
  return f.createLabeledStatement(L.dispatch, loop);
}

/** The step's body: its own variables (`y` for yielded values, see FunctionLowering.emitYield; `locals`), then `loop`. */
function stepBody(L: FunctionLowering, loop: ts.Statement, locals: readonly ts.Identifier[]): ts.Statement[] {
  const f = L.f;
  const own = L.yielded === undefined ? locals : [L.yielded, ...locals];
  if (own.length === 0) return [loop];
  return [f.createVariableStatement(undefined, own.map((id) => f.createVariableDeclaration(id))), loop];
}

/** A function declaration of the body's top level, moved out of the step (and lowered if it is a coroutine). */
function moveFunction(L: FunctionLowering, fn: ts.FunctionDeclaration): ts.FunctionDeclaration {
  if (L.hoisting.closureBoxes.has(fn)) {
    unsupported(fn, 'a function declaration that captures a per-iteration binding of a loop containing a yield');
  }
  return (L.lowerNested(fn, L.renamed) ?? renamedOnly(L, fn)) as ts.FunctionDeclaration;
}
