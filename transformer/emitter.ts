/**
 * The per-function lowering state: labels, the cases being built, temporaries,
 * the jump-target stack, and how a jump or a `return` leaves the try regions
 * between it and its target.
 *
 * Output shape (see build.ts): the body becomes the cases of
 * `dispatch: for (;;) switch (m.s) { ... }` inside a step function. A label is
 * a case number; a jump is `m.s = L; continue dispatch`; a yield is
 * `m.s = L; return value` and the resumed value arrives as the step's
 * `value` parameter at case L. Try regions keep two registers on the machine:
 * `m.h` (where a throw goes) and `m.f` (the innermost finally, for
 * `return()`); a completion on its way to a finally travels in `m.ck`/`m.cv`
 * and is copied into the finally's own temporaries on entry, so it survives
 * yields inside the finally.
 */
import type * as ts from 'typescript';
import { Analysis } from './analysis';
import { assert } from './diagnostics';
import { Hoisting } from './hoist';

/** Maps an identifier of the source to what it is printed as, if it changes. */
export type Renamed = (node: ts.Node) => ts.Expression | undefined;

/** The state of a finished machine: runtime/protocol.ts's DONE (test/protocol.test.ts keeps them equal). */
export const DONE = -1;

/** Completion kinds: the numbers of runtime/protocol.ts (test/protocol.test.ts keeps them equal). */
export const Completion = { normal: 0, throw: 1, return: 2, jump: 3 } as const;

export interface Registers {
  h: number;
  f: number;
}

/** A `break`/`continue` target. */
export interface JumpBlock {
  kind: 'jump';
  labels: string[];
  /** A loop accepts `continue`; a switch or labeled statement only `break`. */
  isLoop: boolean;
  /** An unlabeled `break` may target it (loops and switches). */
  takesPlainBreak: boolean;
  breakLabel: number;
  /** Block depth of the break target (may be outside try regions the block sits in). */
  breakDepth: number;
  continueLabel: number;
}

/** A try statement being lowered, and which part of it we are in. */
export interface TryBlock {
  kind: 'try';
  part: 'try' | 'catch' | 'finally';
  catchLabel: number;
  finallyLabel: number;
  /** Jump targets routed through this finally, with their block depths. */
  jumpTargets: Map<number, number>;
}

export type Block = JumpBlock | TryBlock;

/** How control leaves for a jump or a return: directly, through a finally, or out of the body. */
export type Route =
  | { kind: 'direct'; target: number; regs: Registers | undefined }
  | { kind: 'finally'; finallyLabel: number; ck: number; cv: ts.Expression }
  | { kind: 'done'; value: ts.Expression };

interface Case {
  label: number;
  statements: ts.Statement[];
  /** Control can run off the end of this case into the next one. */
  fallsThrough?: boolean;
}

export class FunctionLowering {
  readonly t: typeof ts;
  readonly f: ts.NodeFactory;
  /** The machine parameter of the step function. */
  readonly m: ts.Identifier;
  /** The resumed value parameter. */
  readonly value: ts.Identifier;
  /** The resume mode parameter (read only by `yield*`). */
  readonly mode: ts.Identifier;
  /**
   * The label of the dispatch loop: a plain name that no label of the body
   * uses (not a generated unique name: when TypeScript's ES5 pass moves a
   * loop body into a `_loop_1` function, it prints a generated label by its
   * base text, so `continue dispatch_1` would come out as `continue dispatch`).
   */
  dispatch: ts.Identifier;
  readonly blocks: Block[] = [];
  readonly temps: ts.Identifier[] = [];
  /** True once any try statement was exploded: the step needs its catch wrapper. */
  hasTry = false;
  /** True once the body needs the machine's registers (try regions, `yield*`, deferred transfers). */
  needsRegisters = false;
  /** `arguments` of the outer function, when the body reads it. */
  argumentsAlias: ts.Identifier | undefined;
  /** The type checker, when the plugin runs with a Program (only to skip clearing scalar fields, see build.ts). */
  checker: ts.TypeChecker | undefined;

  private readonly cases: Case[] = [];
  private current: Case;
  private nextLabel = 1;
  private readonly marked = new Set<number>([0]);
  /** False after an unconditional jump, return or throw: the rest of the case is dead. */
  private reachable = true;

  constructor(tsApi: typeof ts, factory: ts.NodeFactory, readonly analysis: Analysis, readonly hoisting: Hoisting,
    readonly runtime: ts.Identifier, readonly waitNames: (callee: ts.Expression) => boolean,
    /** Renames made by enclosing lowerings (a coroutine nested in another). */
    private readonly outerRenamed: Renamed,
    /** Lowers a nested coroutine function met in native code, or returns undefined. */
    readonly lowerNested: (node: ts.Node, renamed: Renamed) => ts.Node | undefined) {
    this.t = tsApi;
    this.f = factory;
    this.m = factory.createUniqueName('m');
    this.value = factory.createUniqueName('value');
    this.mode = factory.createUniqueName('mode');
    this.dispatch = factory.createIdentifier('dispatch');
    this.current = { label: 0, statements: [] };
    this.cases.push(this.current);
  }

  /** Picks the dispatch label's name: `dispatch`, or `dispatch2`... if the body uses that label. */
  chooseDispatchLabel(body: ts.Node): void {
    const used = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (this.t.isLabeledStatement(n)) used.add(n.label.text);
      this.t.forEachChild(n, visit);
    };
    visit(body);
    let name = 'dispatch';
    for (let i = 2; used.has(name); i++) name = 'dispatch' + i;
    this.dispatch = this.f.createIdentifier(name);
  }

  /** What a hoisted binding's identifier becomes (here or in an enclosing lowering): a new name or a box slot. */
  renamed: Renamed = (node) => this.hoisting.lookup(node) ?? this.outerRenamed(node);

  /** `box = {}` for the boxes made at each entry of `owner` (see hoist.ts). */
  enterScope(owner: ts.Node): void {
    const box = this.hoisting.boxes.get(owner);
    if (box !== undefined) this.emit(this.assign(box.id, this.f.createObjectLiteralExpression([], false)));
  }

  // Labels and cases.

  defineLabel(): number {
    return this.nextLabel++;
  }

  markLabel(label: number): void {
    assert(!this.marked.has(label), 'label ' + label + ' marked twice');
    this.marked.add(label);
    // A case that ends by jumping to the case that follows it can fall through instead.
    const list = this.current.statements;
    const removed = list.length >= 2 && this.gotoTargets.get(list[list.length - 1]) === label;
    if (removed) list.length -= 2;
    this.current.fallsThrough = this.reachable || removed;
    this.current = { label, statements: [] };
    this.cases.push(this.current);
    this.reachable = true;
  }

  emit(statement: ts.Statement): void {
    if (this.reachable) this.current.statements.push(statement);
  }

  /** Emits statements that end the case (a jump, a return, a throw). */
  emitTerminal(statements: ts.Statement[]): void {
    for (const s of statements) this.emit(s);
    this.reachable = false;
  }

  /** Emits `statement` with the source position of `node` (for source maps and stack traces). */
  emitAt(statement: ts.Statement, node: ts.Node): void {
    this.emit(this.t.setTextRange(statement, node));
  }

  /**
   * Like emitTerminal, each statement carrying the source position of `node`: the first as its
   * text range (which also brings `node`'s comments along), the others only for the source map
   * (a comment would otherwise be printed again before each of them).
   */
  emitTerminalAt(statements: ts.Statement[], node: ts.Node): void {
    this.emitTerminal(statements.map((s, i) => i === 0 ? this.t.setTextRange(s, node) : this.t.setSourceMapRange(s, node)));
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  /** All cases, checked: every label used was marked. */
  finishCases(): Case[] {
    for (let l = 1; l < this.nextLabel; l++) assert(this.marked.has(l), 'label ' + l + ' never marked');
    for (const r of this.rotations) this.rotate(r.head, r.end);
    return this.cases;
  }

  /** Loops whose head case may move to the end of the loop (see rotate). */
  private readonly rotations: { head: number; end: number }[] = [];

  /** Asks for the loop from `head` to `end` to be laid out with its head case last. */
  rotateLoop(head: number, end: number): void {
    this.rotations.push({ head, end });
  }

  /**
   * Loop rotation: a jump back to an earlier case costs a trip through the
   * dispatch switch, once per iteration. When the head case (the loop test up
   * to its first yield) ends in a yield or jump, it can sit after the loop's
   * last case, which then falls into it instead of jumping back; the one jump
   * moves to the loop's entry, which runs once.
   * [before]  H: test; ...; return x;  B: ...;  S: i++; m.s = H; continue;  E:
   * [after]   m.s = H; continue;  B: ...;  S: i++;  H: test; ...; return x;  E:
   */
  private rotate(head: number, end: number): void {
    const cases = this.cases;
    const hi = cases.findIndex((c) => c.label === head);
    const ei = cases.findIndex((c) => c.label === end);
    if (hi <= 0 || ei <= hi + 1 || cases[hi].fallsThrough) return;
    const last = cases[ei - 1].statements;
    if (last.length < 2 || this.gotoTargets.get(last[last.length - 1]) !== head) return;
    const before = cases[hi - 1];
    if (before.fallsThrough) {
      before.statements.push(...this.goto(head));
      before.fallsThrough = false;
    }
    last.length -= 2;
    cases[ei - 1].fallsThrough = true;
    const [moved] = cases.splice(hi, 1);
    cases.splice(ei - 1, 0, moved);
  }

  // Temporaries.

  newTemp(hint = 't'): ts.Identifier {
    const id = this.f.createUniqueName(hint);
    this.temps.push(id);
    return id;
  }

  // Small node builders.

  num(n: number): ts.NumericLiteral {
    return this.f.createNumericLiteral(n);
  }

  field(name: 's' | 'h' | 'f' | 'ck' | 'cv' | 'd'): ts.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.m, name);
  }

  assign(target: ts.Expression, value: ts.Expression): ts.Statement {
    return this.f.createExpressionStatement(this.f.createAssignment(target, value));
  }

  runtimeCall(name: string, args: ts.Expression[]): ts.CallExpression {
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(this.runtime, name), undefined, args);
  }

  /** `m.s = label; continue dispatch;` */
  goto(label: number): ts.Statement[] {
    const jump = this.f.createContinueStatement(this.dispatch);
    this.gotoTargets.set(jump, label);
    return [this.assign(this.field('s'), this.num(label)), jump];
  }

  /** The `continue dispatch` statements made by `goto`, with their targets. */
  private readonly gotoTargets = new Map<ts.Statement, number>();

  // Registers of try regions.

  /** The registers in force at block depth `depth` (inside blocks[0..depth)). */
  registersAt(depth: number): Registers {
    let h = 0;
    let f = 0;
    for (let i = 0; i < depth; i++) {
      const b = this.blocks[i];
      if (b.kind !== 'try') continue;
      if (b.part === 'try') {
        h = b.catchLabel || b.finallyLabel;
        f = b.finallyLabel || f;
      } else if (b.part === 'catch') {
        h = b.finallyLabel || h;
        f = b.finallyLabel || f;
      }
    }
    return { h, f };
  }

  setRegisters(regs: Registers): ts.Statement[] {
    return [this.assign(this.field('h'), this.num(regs.h)), this.assign(this.field('f'), this.num(regs.f))];
  }

  // Leaving regions.

  /**
   * Where a jump to `target` at block depth `depth` goes: through the
   * innermost finally in between if there is one (it forwards the jump when
   * it ends), else directly, resetting the registers if it leaves try regions.
   */
  jumpRoute(target: number, depth: number): Route {
    for (let i = this.blocks.length - 1; i >= depth; i--) {
      const b = this.blocks[i];
      if (b.kind === 'try' && b.finallyLabel !== 0 && b.part !== 'finally') {
        b.jumpTargets.set(target, depth);
        return { kind: 'finally', finallyLabel: b.finallyLabel, ck: Completion.jump, cv: this.num(target) };
      }
    }
    const here = this.registersAt(this.blocks.length);
    const there = this.registersAt(depth);
    return { kind: 'direct', target, regs: here.h !== there.h || here.f !== there.f ? there : undefined };
  }

  /** Where `return value` goes: through the innermost finally if any, else the machine completes. */
  returnRoute(value: ts.Expression | undefined): Route {
    const v = value ?? this.f.createVoidZero();
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      if (b.kind === 'try' && b.finallyLabel !== 0 && b.part !== 'finally') {
        return { kind: 'finally', finallyLabel: b.finallyLabel, ck: Completion.return, cv: v };
      }
    }
    return { kind: 'done', value: v };
  }

  /** A route taken at once: it sets the machine's registers and jumps. */
  routeStatements(route: Route): ts.Statement[] {
    switch (route.kind) {
      case 'finally':
        return [this.assign(this.field('ck'), this.num(route.ck)), this.assign(this.field('cv'), route.cv),
          ...this.goto(route.finallyLabel)];
      case 'direct':
        return [...(route.regs ? this.setRegisters(route.regs) : []), ...this.goto(route.target)];
      case 'done':
        // DONE (runtime/protocol.ts): not a `done` flag, which a one-object coroutine's Future would shadow.
        return [this.assign(this.field('s'), this.f.createPrefixMinus(this.num(-DONE))), this.f.createReturnStatement(route.value)];
    }
  }

  /**
   * A route taken from inside a native try/finally: the machine must not
   * change until control has left (that finally may override the transfer),
   * so the step returns a Transfer record for `resume` to apply.
   */
  routeTransfer(route: Route): ts.Statement[] {
    const n = (x: number) => x < 0 ? this.f.createPrefixMinus(this.num(-x)) : this.num(x);
    const args: ts.Expression[] = route.kind === 'finally'
      ? [n(route.finallyLabel), n(route.ck), route.cv, n(-1), n(-1)]
      : route.kind === 'direct'
        ? [n(route.target), n(0), this.f.createVoidZero(), n(route.regs ? route.regs.h : -1), n(route.regs ? route.regs.f : -1)]
        : [n(-1), n(0), route.value, n(-1), n(-1)];
    this.needsRegisters = true;
    return [this.f.createReturnStatement(this.runtimeCall('transfer', [this.m, ...args]))];
  }

  jumpStatements(target: number, depth: number): ts.Statement[] {
    return this.routeStatements(this.jumpRoute(target, depth));
  }

  returnStatements(value: ts.Expression | undefined): ts.Statement[] {
    return this.routeStatements(this.returnRoute(value));
  }

  /** Finds the block a `break`/`continue` refers to; undefined if none (left to TypeScript's own errors). */
  findJumpBlock(isContinue: boolean, label: string | undefined): { block: JumpBlock; index: number } | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      if (b.kind !== 'jump') continue;
      if (label !== undefined ? b.labels.includes(label) : (isContinue ? b.isLoop : b.takesPlainBreak)) {
        if (isContinue && !b.isLoop) return undefined;
        return { block: b, index: i };
      }
    }
    return undefined;
  }

  /** Where a `break`/`continue` to an exploded target goes. */
  breakOrContinueRoute(isContinue: boolean, label: string | undefined, node: ts.Node): Route {
    const found = this.findJumpBlock(isContinue, label);
    assert(found !== undefined, 'no target for ' + node.getText());
    const { block, index } = found;
    return isContinue ? this.jumpRoute(block.continueLabel, index) : this.jumpRoute(block.breakLabel, block.breakDepth);
  }

  breakOrContinue(isContinue: boolean, label: string | undefined, node: ts.Node): ts.Statement[] {
    return this.routeStatements(this.breakOrContinueRoute(isContinue, label, node));
  }

  // Yields.

  /**
   * `m.s = L; return operand;` then case L: returns the expression for the resumed value.
   * With an operand, a done Future continues right here when a coroutine runner drives the
   * machine (`m._driven`, runtime/lowered-coroutine.ts; never when it is driven as a generator,
   * which must see every yield), without the round trip through the runner's loop, which
   * would resume it synchronously anyway:
   *   m.s = L;
   *   if (__gencoro.ready(m, y = operand)) { value = y._value; continue dispatch; }
   *   return y;
   * `ready` (runtime/lowered-coroutine.ts) checks `m._driven` and that `y` is a fulfilled
   * Future other than `moment`. A call rather than the test written out: V8 inlines it (bench
   * (a) measured 3.6 ns per yield both ways), and each yield's output is about 150 bytes smaller.
   */
  emitYield(operand: ts.Expression | undefined, node: ts.Node): ts.Expression {
    const f = this.f;
    const resume = this.defineLabel();
    const statements = [this.assign(this.field('s'), this.num(resume))];
    if (operand === undefined) {
      statements.push(this.t.setTextRange(f.createReturnStatement(undefined), node));
    } else {
      const y = this.yielded ??= f.createUniqueName('y');
      const test = f.createCallExpression(f.createPropertyAccessExpression(this.runtime, 'ready'), undefined,
        [this.m, f.createAssignment(y, operand)]);
      statements.push(
        this.t.setTextRange(f.createIfStatement(test, f.createBlock([
          this.assign(this.value, f.createPropertyAccessExpression(y, '_value')),
          f.createContinueStatement(this.dispatch),
        ], true)), node),
        this.t.setSourceMapRange(f.createReturnStatement(y), node)); // the position, not the comments again
    }
    this.emitTerminal(statements);
    this.markLabel(resume);
    return this.value;
  }

  /** The step function's own variable for a yielded value (not kept across resumptions: never a field). */
  yielded: ts.Identifier | undefined;
}
