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

export function buildBody(L: FunctionLowering, original: ts.Block): ts.Block {
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
    if (L.hoisting.closureBoxes.has(fn)) {
      unsupported(fn, 'a function declaration that captures a per-iteration binding of a loop containing a yield');
    }
    const moved = (L.lowerNested(fn, L.renamed) ?? renamedOnly(L, fn)) as ts.FunctionDeclaration;
    const name = fn.name && L.renamed(fn.name);
    statements.push(name !== undefined && t.isIdentifier(name)
      ? f.updateFunctionDeclaration(moved, moved.modifiers, moved.asteriskToken, name, moved.typeParameters,
        moved.parameters, moved.type, moved.body)
      : moved);
  }
  const step = f.createArrowFunction(undefined, undefined,
    [param(f, L.m), param(f, L.value), param(f, L.mode)], undefined,
    f.createToken(t.SyntaxKind.EqualsGreaterThanToken), f.createBlock([dispatchLoop(L)], true));
  const machineClass = L.needsRegisters ? 'RegionStateMachine' : 'StateMachine';
  const machine = f.createNewExpression(f.createPropertyAccessExpression(L.runtime, machineClass), undefined, [step]);
  statements.push(f.createReturnStatement(machine));
  return t.setTextRange(f.createBlock(statements, true), original);
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
