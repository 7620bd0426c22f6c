/**
 * Random coroutine programs for the differential lowering test, as TypeScript
 * source text.
 *
 * fast-check generates a small syntax tree (the `Stmt`/`Expr` types below) and
 * `renderProgram` prints it. The tree is context-free, so every tree shrinks
 * freely; everything that depends on context is decided while printing:
 *
 * - `break`/`continue` carry an index into the jump targets in scope (the
 *   innermost loop or switch, and every labelled statement or loop around);
 *   with no target in scope they print nothing;
 * - variable reads carry an index into the bindings in scope, innermost first
 *   (so shrinking the index towards 0 picks the innermost: a loop variable
 *   inside a loop); assignments only pick mutable bindings; a shadowing
 *   declaration never reads itself in its initializer (no TDZ errors, which a
 *   lowering to `var` could not keep, see lowering-anchors E7);
 * - closures (`fns.push(() => e)`) print their yields as the plain operand;
 * - names are unique per construct (`n3` a loop counter, `L3` a label, `i3`
 *   a for-loop binding, `v3` a declaration, `e3` a catch parameter, `u3` a
 *   `using` resource, `x3` a for-of binding and `x3_0` its resources);
 * - a `using` declaration is never printed directly in a case clause (a block
 *   of its own there), and a labelled `for (using ...)` is never a `continue`
 *   target (TypeScript's own output of that is a SyntaxError).
 *
 * Every program terminates: each loop has its own hidden counter tested (and
 * incremented) in the loop's own test or update, where `continue` cannot skip
 * it, and bounded by 0-3 iterations. Everything observable goes through
 * `t(x)`, which appends to the trace (with `@ms` whenever the virtual clock
 * moved). The program prints `trace => ok <result>` or `trace => threw <error>`
 * plus the final clock and the data object, so comparing two runs is a string
 * comparison.
 */
import * as fc from 'fast-check';

// ---------------------------------------------------------------------------
// The syntax tree

export type YieldKind =
  | 'ready' | 'h' | 'sleep' | 'fail' | 'failNow' | 'moment' | 'bare' | 'null'
  | 'multi' | 'multiObj' | 'wait' | 'sub' | 'bad';

export type BinOp = '+' | '-' | '*' | '<' | '===' | '&&' | '||' | '??' | ',';
export type AssignOp = '=' | '+=' | '-=' | '*=' | '||=' | '&&=' | '??=';

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'var'; i: number }
  | { k: 'this' }
  | { k: 'args'; i: number }
  | { k: 'g' }
  | { k: 'get' }
  | { k: 'yield'; y: YieldKind; e: Expr; ms: number }
  | { k: 'bin'; op: BinOp; l: Expr; r: Expr }
  | { k: 'un'; op: '!' | '-' | 'typeof '; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'call'; f: 'f' | 'O.m' | 'fk'; callee: Expr; args: Expr[] }
  | { k: 'arr'; items: Expr[]; hole: boolean }
  | { k: 'obj'; props: Array<{ key: Expr | null; v: Expr }> }
  | { k: 'assign'; i: number; op: AssignOp; e: Expr }
  | { k: 'setD'; key: Expr; op: AssignOp; e: Expr }
  | { k: 'getD'; key: Expr }
  | { k: 'del'; key: Expr }
  | { k: 'upd'; i: number; op: '++' | '--'; prefix: boolean }
  | { k: 't'; e: Expr }
  | { k: 'tpl'; a: Expr; b: Expr };

/**
 * How a closure is written: an arrow (sees the body's `this`), or an object
 * literal's method, a bound function expression, a class field initializer
 * (evaluated at once, when the instance is made), a static block of a class
 * expression (evaluated at once, with the class as `this`), or a method of a
 * class *declaration* in the body that extends the prelude's `Base`, calls
 * `super.b()` and reads a static field that names the class itself; each with
 * a `this` of its own (`{ id: 'method' }`, `{ id: 'function' }`, the
 * instance, the class): the lowering must keep the body's `this` out of
 * those, and keep a declared class's references to its own name working.
 * 'shadowing': an arrow whose own declarations (`const S`, `function t`) share
 * names the body reads from outside (the module's `S`, the prelude's `t`): they must stay the arrow's.
 */
export type ClosureShape = 'arrow' | 'method' | 'function' | 'class' | 'static' | 'classDecl' | 'funcDecl' | 'shadowing';

/**
 * An iterator with odd results (the prelude's `odd(n, mode)`), for for-of and
 * array destructuring: every result's `done` is a getter (traced on its first
 * read), and return() is traced, so whether the iterator was closed shows.
 * mode 0: plain; 1: the last result's `value` getter throws (the iterator must
 * not be closed then); 2: return() throws; 3: `done` is 0/1, and reading the
 * `value` of a done result throws; 4: no return() method.
 */
export interface Odd { n: number; mode: 0 | 1 | 2 | 3 | 4 }

/** An anonymous function definition whose inferred `.name` is traced. */
export type FnKind = 'arrow' | 'function' | 'class';

/**
 * Where the anonymous function of a 'names' statement is defined (N: a fresh
 * name, FN: the function, E: an expression, usually with a yield):
 * 'arrDflt' `const [N = FN, M = E] = []`; 'objDflt' `({ N = FN, x: M = E } = {})`
 * on `let` bindings ('objDfltShort': `M = E` as a shorthand too; it once read an unrenamed
 * binding in a yield-free block); 'objVal' `const N = { f: FN, x: E }` (the name is `f`);
 * 'decl' `const N = FN, M = E`; 'assign' `let N: any = E; N = FN`.
 */
export type NameForm = 'arrDflt' | 'objDflt' | 'objDfltShort' | 'objVal' | 'decl' | 'assign';

/**
 * A declaration that shadows a module-level name the body reads elsewhere
 * (the module's `S`, the prelude's `f`, `O` and `t`), always inside a block
 * or a closure of its own. Body forms (the expression may yield):
 * 'blockLet' `{ let S = E; }`, 'blockFunc' `{ function f() {} }`,
 * 'blockClass' `{ class O {} }`, 'staticVar' a class declaration whose static
 * block declares `var S`. Closure forms (`fns.push(() => ...)`):
 * 'closureLet' a `let S` in a nested block, 'closureFunc' a `function t` in a
 * nested block, 'closureClass' a `class S` in a nested block,
 * 'closureStaticVar' a class expression whose static block declares `var S`.
 */
export type ShadowForm = 'blockLet' | 'blockFunc' | 'blockClass' | 'staticVar' | 'closureLet' | 'closureFunc'
  | 'closureClass' | 'closureStaticVar';

/** A property of an object literal: computed (`[key]: v`) or plain (`qN: v`). */
export interface Prop { key: Expr | null; v: Expr }

/**
 * The value of a `using` declaration `uN`: 'res' a resource, `res('uN', e, fail)` (the prelude's
 * `res`: its `[Symbol.dispose]()` traces `[dispose,uN,v]`, then throws `'duN'` when `fail`);
 * 'null' `nul(e)` (null: nothing to dispose); 'raw' the plain value `e` (a primitive:
 * TypeError 'Object expected.', an object: 'Object not disposable.', null/undefined: nothing).
 */
export type UsingSrc = 'res' | 'null' | 'raw';

/** One resource of a `using` declaration (see UsingSrc). */
export interface UsingDecl { src: UsingSrc; e: Expr; fail: boolean }

/**
 * How a for-of binds its variable: `let`, `const`, or `using` (each item a resource whose
 * disposal runs at the end of its iteration). For `using`, `fail` (1-3) makes the disposal of
 * item fail-1 throw, `nul` (1-3) makes item nul-1 null (0: none).
 */
export type ForOfKind = 'let' | 'const' | 'using';

/**
 * How a `scope` block ends: a `break` or `continue` to a target outside the innermost try around
 * (else the innermost outside the block), `return;`, or `throw 'tuN'` (its resource's disposal then
 * always fails: a SuppressedError).
 */
export type ScopeExit = 'break' | 'continue' | 'return' | 'throw';

export type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'decl'; kind: 'let' | 'const'; e: Expr; shadow: number | null }
  | { k: 'destr'; kind: 'let' | 'const'; obj: boolean; a: Expr; b: Expr | null; dflt: Expr; viaYield: boolean; odd: Odd | null }
  /** Defines an anonymous function or class (see NameForm) and traces its inferred name. */
  | { k: 'names'; form: NameForm; fn: FnKind; e: Expr; viaYield: boolean }
  /**
   * `const N: any = { [__proto__,] $x: v, get $g(), set $s(), ...props }`: `__proto__`
   * as a shorthand of the module's `const __proto__` (an own property), or as
   * `__proto__: value` (the prototype; `pv` null: the module's object), first or
   * last; getters and setters; computed keys (with yields). Traced with the
   * prelude's `po` (own `__proto__`, prototype, keys); `rest` also traces the
   * object rest of it.
   */
  | { k: 'objlit'; proto: 'none' | 'short' | 'value'; first: boolean; pv: Expr | null; x: Expr; props: Prop[]; acc: boolean; rest: boolean }
  | { k: 'shadowMod'; form: ShadowForm; e: Expr }
  /**
   * `var q: any = e` (or `var q;`): in the step-per-call shape, a var
   * redeclaring the parameter `q` of a parameter list with defaults, a binding
   * of its own (that `getQ = () => q` in the parameter list does not see).
   */
  | { k: 'varq'; e: Expr | null }
  /**
   * `using uN = <value>[, uM = <value>];` (see UsingSrc), or with viaYield
   * `using uN = (yield ready(<value>))`: its statement list's rest is the resources' scope. In
   * a case clause (where `using` is not lowered), it is printed as a block of its own.
   */
  | { k: 'using'; first: UsingDecl; second: UsingDecl | null; viaYield: boolean }
  | { k: 'closure'; e: Expr; shape: ClosureShape }
  | { k: 'callFns' }
  | { k: 'bg'; e: Expr; ms: number }
  | { k: 'break'; i: number }
  | { k: 'continue'; i: number }
  | { k: 'return'; e: Expr | null }
  | { k: 'throw'; e: Expr; obj: boolean }
  | { k: 'if'; c: Expr; a: Stmt[]; b: Stmt[] | null }
  | { k: 'switch'; d: Expr; cases: Array<{ test: Expr | null; body: Stmt[] }> }
  | { k: 'while'; c: Expr | null; n: number; label: boolean; body: Stmt[] }
  | { k: 'do'; c: Expr | null; n: number; label: boolean; body: Stmt[] }
  /**
   * `for (let iN = init, nN = 0; ...; nN++, iN++, t(upd))`, or with `using`:
   * `let nN = 0; for (using iN = res('iN', init, fail); ...; nN++, t(upd))` (one resource for the whole loop).
   */
  | { k: 'for'; init: Expr; c: Expr | null; upd: Expr | null; n: number; label: boolean; body: Stmt[]; using: { fail: boolean } | null }
  | { k: 'forin'; props: Expr[]; useD: boolean; label: boolean; body: Stmt[] }
  | { k: 'forof'; items: Expr[]; iter: number | null; odd: Odd | null; kind: ForOfKind; fail: number; nul: number; label: boolean; body: Stmt[] }
  | { k: 'block'; label: boolean; body: Stmt[] }
  /**
   * `[L:] { using uN = <value>; body [exit] }`: a block that is its resource's scope, optionally left
   * at its end by `exit` (see ScopeExit).
   * With `native`, every yield inside prints as its plain operand (as in closures), so the block has
   * none: TypeScript lowers it, not the plugin, which must defer a jump out of it like a jump out of
   * a native try/finally, so that a disposal that throws still reaches an enclosing (lowered) catch.
   */
  | { k: 'scope'; decl: UsingDecl; native: boolean; label: boolean; body: Stmt[]; exit: ScopeExit | null }
  /** `[L:] try`: a labelled try is a `break L` target (a jump out of the try from its own blocks). */
  | { k: 'try'; label: boolean; body: Stmt[]; handler: { param: boolean; body: Stmt[] } | null; fin: Stmt[] | null };

/** A generator protocol call: next([k]), throw('T' + k), return('R' + k) for step k. */
export type DriveOp = 'n' | 't' | 'r';

export interface ProgramTree {
  /** The coroutine's first argument. */
  p: number;
  body: Stmt[];
  /**
   * After the coroutine run, the body is called once more without the runner
   * and driven through the generator protocol with these calls, cycled (empty:
   * no second run). This checks what a lowered body gives when it is not
   * called through the runner (SPEC: "behaves exactly as the generator would").
   */
  drive: DriveOp[];
  /**
   * A default value on an extra parameter: the plugin then makes a step per
   * call (locals as variables of the function) instead of one shared step
   * (locals as fields of the machine), so both of its shapes are fuzzed.
   */
  perCall: boolean;
  /**
   * With perCall: the parameter list also has `getQ = () => q`, a closure over
   * the parameter `q`, which the body's `var q` (see 'varq') must not change.
   */
  getQ: boolean;
}

// ---------------------------------------------------------------------------
// Arbitraries

export interface ProgramOptions {
  /** Nesting depth of compound statements (default 3). */
  stmtDepth?: number;
  /** Nesting depth of expressions (default 2). */
  exprDepth?: number;
  /** Most statements in one block (default 4; the body gets two more). */
  blockLength?: number;
  /**
   * Leave out `arguments` (TypeScript's own ES5 generator transform reads the
   * wrong `arguments`, so comparing it against native generators needs this).
   */
  noArguments?: boolean;
}

type W<T> = { arbitrary: fc.Arbitrary<T>; weight: number };
/** A weighted alternative; weights may be fractional (fast-check wants integers, hence the x10). */
const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number): W<T> => ({ arbitrary, weight: Math.round(weight * 10) });

/** A oneof whose values shrink towards the first alternative. */
function pick<T>(...alts: Array<W<T>>): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true }, ...alts);
}

function weighted<T>(pairs: Array<[T, number]>): fc.Arbitrary<T> {
  return pick(...pairs.map(([v, n]) => w(fc.constant(v), n)));
}

const small = fc.integer({ min: 0, max: 4 });
const index = fc.nat({ max: 7 });
const ms = fc.integer({ min: 0, max: 3 });
/** Loop bounds: mostly 1-3 iterations. */
const bound = weighted([[1, 3], [0, 1], [2, 3], [3, 2]]);

/** Trace entries after which `t` throws (a deterministic bound on any run). */
export const STEP_LIMIT = 4000;

/** Expressions, one arbitrary per depth (index 0: leaves only). */
export function exprArbitraries(depth: number, noArguments = false): Array<fc.Arbitrary<Expr>> {
  const leaf: fc.Arbitrary<Expr> = pick<Expr>(
    w(fc.record({ k: fc.constant('num' as const), v: small }), 4),
    w(fc.record({ k: fc.constant('var' as const), i: index }), 5),
    w(fc.record({ k: fc.constant('str' as const), v: fc.constantFrom('x', 'y', 'z') }), 3),
    w(fc.record({ k: fc.constant('g' as const) }), 1),
    w(fc.record({ k: fc.constant('get' as const) }), 1),
    w(fc.record({ k: fc.constant('this' as const) }), 1),
    ...(noArguments ? [] : [w(fc.record({ k: fc.constant('args' as const), i: fc.nat({ max: 2 }) }), 1)]),
  );
  const yieldKind = weighted<YieldKind>([
    ['ready', 4], ['h', 5], ['sleep', 2], ['fail', 1.2], ['failNow', 0.8], ['moment', 1], ['bare', 0.5],
    ['null', 0.5], ['multi', 1], ['multiObj', 0.4], ['wait', 1], ['sub', 1], ['bad', 0.1],
  ]);
  const binOp = weighted<BinOp>([
    ['+', 6], ['-', 1], ['*', 1], ['<', 1], ['===', 1], ['&&', 2], ['||', 2], ['??', 1], [',', 1],
  ]);
  const assignOp = weighted<AssignOp>([
    ['=', 4], ['+=', 4], ['-=', 1], ['*=', 1], ['||=', 1], ['&&=', 1], ['??=', 1],
  ]);
  const levels: Array<fc.Arbitrary<Expr>> = [leaf];
  for (let d = 1; d <= depth; d++) {
    const sub = levels[d - 1];
    const args = fc.array(sub, { maxLength: 3 });
    levels.push(pick<Expr>(
      w(leaf, 6),
      w(fc.record({ k: fc.constant('yield' as const), y: yieldKind, e: sub, ms }), 8),
      w(fc.record({ k: fc.constant('bin' as const), op: binOp, l: sub, r: sub }), 6),
      w(fc.record({ k: fc.constant('t' as const), e: sub }), 2),
      w(fc.record({ k: fc.constant('assign' as const), i: index, op: assignOp, e: sub }), 3),
      w(fc.record({ k: fc.constant('call' as const), f: weighted<'f' | 'O.m' | 'fk'>([['f', 3], ['O.m', 2], ['fk', 1]]),
        callee: sub, args }), 3),
      w(fc.record({ k: fc.constant('cond' as const), c: sub, a: sub, b: sub }), 2),
      w(fc.record({ k: fc.constant('arr' as const), items: args, hole: fc.boolean() }), 1.5),
      w(fc.record({ k: fc.constant('obj' as const),
        props: fc.array(fc.record({ key: fc.option(sub, { nil: null }), v: sub }), { maxLength: 3 }) }), 1.5),
      w(fc.record({ k: fc.constant('un' as const), op: fc.constantFrom('!' as const, '-' as const, 'typeof ' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('upd' as const), i: index, op: fc.constantFrom('++' as const, '--' as const),
        prefix: fc.boolean() }), 1),
      w(fc.record({ k: fc.constant('setD' as const), key: sub, op: assignOp, e: sub }), 1),
      w(fc.record({ k: fc.constant('getD' as const), key: sub }), 1),
      w(fc.record({ k: fc.constant('del' as const), key: sub }), 0.3),
      w(fc.record({ k: fc.constant('tpl' as const), a: sub, b: sub }), 1),
    ));
  }
  return levels;
}

/** The program tree arbitrary. */
export function programTreeArbitrary(options: ProgramOptions = {}): fc.Arbitrary<ProgramTree> {
  const stmtDepth = options.stmtDepth ?? 3;
  const exprs = exprArbitraries(options.exprDepth ?? 2, options.noArguments);
  const expr = exprs[exprs.length - 1];
  const smallExpr = exprs[Math.max(0, exprs.length - 2)];
  const optExpr = fc.option(expr, { nil: null, freq: 2 });
  const maxLength = options.blockLength ?? 4;
  const label = fc.boolean();
  const odd: fc.Arbitrary<Odd> = fc.record({ n: fc.integer({ min: 0, max: 3 }),
    mode: weighted<Odd['mode']>([[0, 2], [1, 1.5], [2, 1], [3, 1], [4, 0.5]]) });
  /** Mostly null: one in (1 + nulls). */
  const optOdd = (nulls: number) => pick<Odd | null>(w(fc.constant(null), nulls), w(odd, 1));
  const props = fc.array(fc.record({ key: fc.option(smallExpr, { nil: null }), v: smallExpr }), { maxLength: 2 });
  /**
   * failing: the weight of a disposal that throws (against 4). A failure in a loop or block ends
   * the run early (as does a TypeError of 'raw'), so the rest of the grammar would lose its share.
   */
  const usingDecl = (e: fc.Arbitrary<Expr>, failing = 1): fc.Arbitrary<UsingDecl> => fc.record({
    src: weighted<UsingSrc>([['res', 8], ['null', 1], ['raw', 0.3]]), e, fail: weighted([[false, 4], [true, failing]]) });

  const simple: fc.Arbitrary<Stmt> = pick<Stmt>(
    w(fc.record({ k: fc.constant('expr' as const), e: expr }), 12),
    w(fc.record({ k: fc.constant('decl' as const), kind: fc.constantFrom('let' as const, 'const' as const), e: expr,
      shadow: fc.option(index, { nil: null, freq: 2 }) }), 3),
    w(fc.record({ k: fc.constant('destr' as const), kind: fc.constantFrom('let' as const, 'const' as const),
      obj: fc.boolean(), a: smallExpr, b: fc.option(smallExpr, { nil: null }), dflt: smallExpr,
      viaYield: fc.boolean(), odd: optOdd(2) }), 1),
    w(fc.record({ k: fc.constant('names' as const),
      form: weighted<NameForm>([['decl', 1], ['arrDflt', 1], ['objDflt', 1], ['objVal', 1], ['assign', 0.5],
        ['objDfltShort', 1]]),
      fn: fc.constantFrom<FnKind>('arrow', 'function', 'class'), e: smallExpr, viaYield: fc.boolean() }), 0.6),
    w(fc.record({ k: fc.constant('objlit' as const), proto: fc.constantFrom('short' as const, 'value' as const, 'none' as const),
      first: fc.boolean(), pv: fc.option(smallExpr, { nil: null, freq: 2 }), x: smallExpr, props, acc: fc.boolean(),
      rest: fc.boolean() }), 0.6),
    w(fc.record({ k: fc.constant('shadowMod' as const),
      form: fc.constantFrom<ShadowForm>('blockLet', 'blockFunc', 'blockClass', 'staticVar', 'closureLet', 'closureFunc',
        'closureClass', 'closureStaticVar'), e: smallExpr }), 0.6),
    w(fc.record({ k: fc.constant('varq' as const), e: fc.option(smallExpr, { nil: null, freq: 4 }) }), 0.4),
    w(fc.record({ k: fc.constant('using' as const), first: usingDecl(expr),
      second: pick<UsingDecl | null>(w(fc.constant(null), 3), w(usingDecl(smallExpr, 2), 1)), viaYield: weighted([[false, 3], [true, 1]]) }), 0.4),
    w(fc.record({ k: fc.constant('closure' as const), e: expr,
      // 'method' three times: the method-this mutant (test/fuzz.test.ts) must stay easy to catch (the
      // `using` statements made programs throw a little more often).
      shape: fc.constantFrom<ClosureShape>('arrow', 'arrow', 'method', 'method', 'method', 'function', 'class', 'static',
        'classDecl', 'funcDecl', 'shadowing') }), 2),
    w(fc.record({ k: fc.constant('callFns' as const) }), 0.7),
    w(fc.record({ k: fc.constant('bg' as const), e: smallExpr, ms }), 0.7),
    w(fc.record({ k: fc.constant('break' as const), i: index }), 1.5),
    w(fc.record({ k: fc.constant('continue' as const), i: index }), 1.2),
    w(fc.record({ k: fc.constant('return' as const), e: optExpr }), 0.5),
    w(fc.record({ k: fc.constant('throw' as const), e: smallExpr, obj: fc.boolean() }), 0.7),
  );

  const levels: Array<fc.Arbitrary<Stmt>> = [simple];
  // Native scopes fail more often (but only inside a try, see 'scope' in Printer.stmt): a jump out
  // of one through a lowered try is what they are for.
  const scope = (native: boolean, body: fc.Arbitrary<Stmt[]>): fc.Arbitrary<Stmt> => fc.record({
    k: fc.constant('scope' as const), decl: usingDecl(smallExpr, native ? 8 : 1), native: fc.constant(native), label, body,
    exit: weighted<ScopeExit | null>(native
      ? [[null, 1.5], ['break', 1.5], ['continue', 1.5], ['return', 0.2], ['throw', 0.4]]
      : [[null, 3], ['break', 1], ['continue', 1], ['return', 0.2], ['throw', 0.3]]) });
  for (let d = 1; d <= stmtDepth; d++) {
    const block = fc.array(levels[d - 1], { maxLength });
    const block1 = fc.array(levels[d - 1], { minLength: 1, maxLength });
    levels.push(pick<Stmt>(
      w(simple, 10),
      w(fc.record({ k: fc.constant('if' as const), c: expr, a: block1, b: fc.option(block1, { nil: null }) }), 3),
      w(fc.record({ k: fc.constant('try' as const), label: weighted([[false, 2], [true, 1]]), body: block1,
        handler: fc.option(fc.record({ param: fc.boolean(), body: block }), { nil: null, freq: 3 }),
        fin: fc.option(block, { nil: null, freq: 2 }) }), 4),
      w(fc.record({ k: fc.constant('while' as const), c: optExpr, n: bound, label, body: block1 }), 2),
      w(fc.record({ k: fc.constant('do' as const), c: optExpr, n: bound, label, body: block1 }), 1),
      w(fc.record({ k: fc.constant('for' as const), init: smallExpr, c: optExpr, upd: fc.option(smallExpr, { nil: null }),
        n: bound, label, body: block1, using: pick<{ fail: boolean } | null>(w(fc.constant(null), 12), w(fc.record({ fail: weighted([[false, 3], [true, 1]]) }), 1)) }), 2),
      w(fc.record({ k: fc.constant('forof' as const), items: fc.array(smallExpr, { maxLength: 3 }),
        iter: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), odd: optOdd(4),
        kind: weighted<ForOfKind>([['let', 2], ['const', 2], ['using', 0.4]]),
        fail: weighted([[0, 8], [1, 1], [2, 1], [3, 0.5]]), nul: weighted([[0, 3], [1, 1], [2, 0.5]]),
        label, body: block1 }), 2),
      w(fc.record({ k: fc.constant('forin' as const), props: fc.array(smallExpr, { maxLength: 3 }), useD: fc.boolean(),
        label, body: block1 }), 1),
      w(fc.record({ k: fc.constant('switch' as const), d: expr,
        cases: fc.array(fc.record({ test: fc.option(smallExpr, { nil: null, freq: 4 }), body: block }),
          { minLength: 1, maxLength: 4 }) }), 2),
      w(fc.record({ k: fc.constant('block' as const), label, body: block1 }), 1),
      // A native scope (no yield inside) gets simple statements only: it would take the yields of a whole subtree.
      w(scope(false, block), 0.5),
      w(scope(true, fc.array(simple, { maxLength })), 0.9),
    ));
  }
  return fc.record({
    p: small,
    body: fc.array(levels[stmtDepth], { minLength: 1, maxLength: maxLength + 2 }),
    drive: fc.array(weighted<DriveOp>([['n', 6], ['t', 2], ['r', 2]]), { maxLength: 4 }),
    perCall: weighted([[false, 2], [true, 1]]),
    getQ: fc.boolean(),
  });
}

/** Programs as TypeScript source text (see renderProgram), shrinking structurally (see shrinkTree). */
export function programArbitrary(options: ProgramOptions = {}): fc.Arbitrary<string> {
  return new StructuralShrink(programTreeArbitrary(options)).map(renderProgram);
}

// ---------------------------------------------------------------------------
// Shrinking

/**
 * fast-check shrinks a tree built from records and oneofs one alternative at
 * a time: it can empty a `try` block but never replace the `try` by its body,
 * and it only removes array elements from the front. This arbitrary offers
 * structural candidates first (shrinkTree), then fast-check's own while they
 * still apply. Candidates come in a fixed order, so replay paths stay valid.
 */
class StructuralShrink extends fc.Arbitrary<ProgramTree> {
  constructor(private readonly inner: fc.Arbitrary<ProgramTree>) { super(); }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<ProgramTree> {
    return this.inner.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is ProgramTree {
    return false;
  }
  shrink(value: ProgramTree, context: unknown): fc.Stream<fc.Value<ProgramTree>> {
    const structural = new fc.Stream(shrinkTree(value)).map((tree) => new fc.Value(tree, undefined));
    return context === undefined ? structural : structural.join(this.inner.shrink(value, context));
  }
}

const ZERO: Expr = { k: 'num', v: 0 };

/** Smaller programs than `tree`, biggest cuts first; every one of them prints to a valid program. */
export function* shrinkTree(tree: ProgramTree): Generator<ProgramTree> {
  if (tree.drive.length > 0) yield { ...tree, drive: [] };
  for (const body of shrinkStmts(tree.body)) yield { ...tree, body };
  for (let i = tree.drive.length - 1; i >= 0; i--) yield { ...tree, drive: [...tree.drive.slice(0, i), ...tree.drive.slice(i + 1)] };
  for (let i = 0; i < tree.drive.length; i++) {
    if (tree.drive[i] !== 'n') yield { ...tree, drive: [...tree.drive.slice(0, i), 'n', ...tree.drive.slice(i + 1)] };
  }
  if (tree.p !== 0) yield { ...tree, p: 0 };
  if (tree.getQ) yield { ...tree, getQ: false };
  if (tree.perCall) yield { ...tree, perCall: false };
}

function* shrinkList<T>(list: T[], shrinkItem: (item: T) => Iterable<T>): Generator<T[]> {
  for (let i = list.length - 1; i >= 0; i--) yield [...list.slice(0, i), ...list.slice(i + 1)];
  for (let i = 0; i < list.length; i++) {
    for (const item of shrinkItem(list[i])) yield [...list.slice(0, i), item, ...list.slice(i + 1)];
  }
}

/** The statement lists directly inside a compound statement. */
function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if': return s.b === null ? [s.a] : [s.a, s.b];
    case 'try': return [s.body, ...(s.handler === null ? [] : [s.handler.body]), ...(s.fin === null ? [] : [s.fin])];
    case 'while': case 'do': case 'for': case 'forof': case 'forin': case 'block': case 'scope': return [s.body];
    case 'switch': return s.cases.map((c) => c.body);
    default: return [];
  }
}

function* shrinkStmts(list: Stmt[]): Generator<Stmt[]> {
  // 1. Drop a statement (from the end: later statements matter less).
  for (let i = list.length - 1; i >= 0; i--) yield [...list.slice(0, i), ...list.slice(i + 1)];
  // 2. Replace a compound statement by one of its blocks.
  for (let i = 0; i < list.length; i++) {
    for (const kids of childBlocks(list[i])) yield [...list.slice(0, i), ...kids, ...list.slice(i + 1)];
  }
  // 3. Shrink a statement in place.
  for (let i = 0; i < list.length; i++) {
    for (const s of shrinkStmt(list[i])) yield [...list.slice(0, i), s, ...list.slice(i + 1)];
  }
}

function* shrinkStmt(s: Stmt): Generator<Stmt> {
  switch (s.k) {
    case 'expr':
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'closure':
      if (s.shape !== 'arrow') yield { ...s, shape: 'arrow' };
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'bg':
      if (s.ms !== 0) yield { ...s, ms: 0 };
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'decl':
      if (s.shadow !== null) yield { ...s, shadow: null };
      if (s.kind !== 'let') yield { ...s, kind: 'let' };
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'destr':
      if (s.odd !== null) yield { ...s, odd: null };
      if (s.b !== null) yield { ...s, b: null };
      if (s.viaYield) yield { ...s, viaYield: false };
      if (s.obj) yield { ...s, obj: false };
      if (s.kind !== 'let') yield { ...s, kind: 'let' };
      for (const a of shrinkExpr(s.a)) yield { ...s, a };
      if (s.b !== null) for (const b of shrinkExpr(s.b)) yield { ...s, b };
      for (const dflt of shrinkExpr(s.dflt)) yield { ...s, dflt };
      if (s.odd !== null) for (const o of shrinkOdd(s.odd)) yield { ...s, odd: o };
      return;
    case 'names':
      if (s.viaYield) yield { ...s, viaYield: false };
      if (s.fn !== 'arrow') yield { ...s, fn: 'arrow' };
      if (s.form === 'objDfltShort') yield { ...s, form: 'objDflt' };
      if (s.form !== 'decl') yield { ...s, form: 'decl' };
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'objlit':
      if (s.rest) yield { ...s, rest: false };
      if (s.acc) yield { ...s, acc: false };
      if (s.proto !== 'none') yield { ...s, proto: 'none' };
      if (s.pv !== null) yield { ...s, pv: null };
      if (!s.first) yield { ...s, first: true };
      for (const props of shrinkList(s.props, shrinkProp)) yield { ...s, props };
      for (const x of shrinkExpr(s.x)) yield { ...s, x };
      if (s.pv !== null) for (const pv of shrinkExpr(s.pv)) yield { ...s, pv };
      return;
    case 'shadowMod':
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'varq':
      if (s.e !== null) {
        yield { ...s, e: null };
        for (const e of shrinkExpr(s.e)) yield { ...s, e };
      }
      return;
    case 'using':
      yield { k: 'expr', e: s.first.e };
      if (s.second !== null) yield { ...s, second: null };
      if (s.viaYield) yield { ...s, viaYield: false };
      for (const first of shrinkUsingDecl(s.first)) yield { ...s, first };
      if (s.second !== null) for (const second of shrinkUsingDecl(s.second)) yield { ...s, second };
      return;
    case 'callFns':
      return;
    case 'break': case 'continue':
      if (s.i !== 0) yield { ...s, i: 0 };
      return;
    case 'return':
      if (s.e !== null) {
        yield { ...s, e: null };
        for (const e of shrinkExpr(s.e)) yield { ...s, e };
      }
      return;
    case 'throw':
      if (s.obj) yield { ...s, obj: false };
      for (const e of shrinkExpr(s.e)) yield { ...s, e };
      return;
    case 'if':
      if (s.b !== null) yield { ...s, b: null };
      for (const c of shrinkExpr(s.c)) yield { ...s, c };
      for (const a of shrinkStmts(s.a)) yield { ...s, a };
      if (s.b !== null) for (const b of shrinkStmts(s.b)) yield { ...s, b };
      return;
    case 'try':
      if (s.label) yield { ...s, label: false };
      if (s.handler !== null && s.fin !== null) {
        yield { ...s, fin: null };
        yield { ...s, handler: null };
      }
      if (s.handler !== null && s.handler.param) yield { ...s, handler: { ...s.handler, param: false } };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      if (s.handler !== null) for (const body of shrinkStmts(s.handler.body)) yield { ...s, handler: { ...s.handler, body } };
      if (s.fin !== null) for (const fin of shrinkStmts(s.fin)) yield { ...s, fin };
      return;
    case 'while': case 'do':
      if (s.label) yield { ...s, label: false };
      if (s.c !== null) yield { ...s, c: null };
      if (s.n > 1) yield { ...s, n: 1 };
      if (s.n > 0) yield { ...s, n: s.n - 1 };
      if (s.c !== null) for (const c of shrinkExpr(s.c)) yield { ...s, c };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'for':
      if (s.label) yield { ...s, label: false };
      if (s.using !== null) yield { ...s, using: null };
      if (s.using !== null && s.using.fail) yield { ...s, using: { fail: false } };
      if (s.c !== null) yield { ...s, c: null };
      if (s.upd !== null) yield { ...s, upd: null };
      if (s.n > 1) yield { ...s, n: 1 };
      if (s.n > 0) yield { ...s, n: s.n - 1 };
      for (const init of shrinkExpr(s.init)) yield { ...s, init };
      if (s.c !== null) for (const c of shrinkExpr(s.c)) yield { ...s, c };
      if (s.upd !== null) for (const upd of shrinkExpr(s.upd)) yield { ...s, upd };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'forof':
      if (s.label) yield { ...s, label: false };
      if (s.iter !== null) yield { ...s, iter: null };
      if (s.odd !== null) yield { ...s, odd: null };
      if (s.odd !== null) for (const o of shrinkOdd(s.odd)) yield { ...s, odd: o };
      if (s.kind !== 'let') yield { ...s, kind: 'let' };
      if (s.fail !== 0) yield { ...s, fail: 0 };
      if (s.nul !== 0) yield { ...s, nul: 0 };
      if (s.iter !== null && s.iter > 0) yield { ...s, iter: s.iter - 1 };
      if (s.iter === null) for (const items of shrinkList(s.items, shrinkExpr)) yield { ...s, items };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'forin':
      if (s.label) yield { ...s, label: false };
      if (s.useD) yield { ...s, useD: false };
      for (const props of shrinkList(s.props, shrinkExpr)) yield { ...s, props };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'block':
      if (s.label) yield { ...s, label: false };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'scope':
      yield { k: 'block', label: s.label, body: s.body };
      if (s.exit !== null) yield { ...s, exit: null };
      if (s.label) yield { ...s, label: false };
      if (s.native) yield { ...s, native: false };
      for (const decl of shrinkUsingDecl(s.decl)) yield { ...s, decl };
      for (const body of shrinkStmts(s.body)) yield { ...s, body };
      return;
    case 'switch': {
      for (let i = s.cases.length - 1; i >= 0 && s.cases.length > 1; i--) {
        yield { ...s, cases: [...s.cases.slice(0, i), ...s.cases.slice(i + 1)] };
      }
      for (const d of shrinkExpr(s.d)) yield { ...s, d };
      for (let i = 0; i < s.cases.length; i++) {
        const c = s.cases[i];
        const at = (x: { test: Expr | null; body: Stmt[] }) => ({ ...s, cases: [...s.cases.slice(0, i), x, ...s.cases.slice(i + 1)] });
        if (c.test !== null) for (const test of shrinkExpr(c.test)) yield at({ ...c, test });
        for (const body of shrinkStmts(c.body)) yield at({ ...c, body });
      }
      return;
    }
  }
}

/** The direct sub-expressions of `e`. */
function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'yield': case 'un': case 't': case 'assign': return [e.e];
    case 'bin': return [e.l, e.r];
    case 'cond': return [e.c, e.a, e.b];
    case 'call': return e.f === 'fk' ? [e.callee, ...e.args] : e.args;
    case 'arr': return e.items;
    case 'obj': return e.props.flatMap((p) => (p.key === null ? [p.v] : [p.key, p.v]));
    case 'setD': return [e.key, e.e];
    case 'getD': case 'del': return [e.key];
    case 'tpl': return [e.a, e.b];
    default: return [];
  }
}

function* shrinkExpr(e: Expr): Generator<Expr> {
  // 1. Replace by a sub-expression, or by 0.
  yield* childExprs(e);
  if (e.k !== 'num' || e.v !== 0) yield ZERO;
  // 2. Simplify this node.
  switch (e.k) {
    case 'num': return;
    case 'str': if (e.v !== 'x') yield { ...e, v: 'x' }; return;
    case 'var': if (e.i !== 0) yield { ...e, i: 0 }; return;
    case 'args': if (e.i !== 0) yield { ...e, i: 0 }; return;
    case 'this': case 'g': case 'get': return;
    case 'yield':
      if (e.y !== 'ready') yield { ...e, y: 'ready' };
      if (e.ms !== 0) yield { ...e, ms: 0 };
      for (const x of shrinkExpr(e.e)) yield { ...e, e: x };
      return;
    case 'un': case 't':
      for (const x of shrinkExpr(e.e)) yield { ...e, e: x };
      return;
    case 'assign':
      if (e.op !== '=') yield { ...e, op: '=' };
      if (e.i !== 0) yield { ...e, i: 0 };
      for (const x of shrinkExpr(e.e)) yield { ...e, e: x };
      return;
    case 'upd':
      if (e.i !== 0) yield { ...e, i: 0 };
      return;
    case 'bin':
      if (e.op !== '+') yield { ...e, op: '+' };
      for (const l of shrinkExpr(e.l)) yield { ...e, l };
      for (const r of shrinkExpr(e.r)) yield { ...e, r };
      return;
    case 'cond':
      for (const c of shrinkExpr(e.c)) yield { ...e, c };
      for (const a of shrinkExpr(e.a)) yield { ...e, a };
      for (const b of shrinkExpr(e.b)) yield { ...e, b };
      return;
    case 'call':
      if (e.f !== 'f') yield { ...e, f: 'f' };
      if (e.f === 'fk') for (const callee of shrinkExpr(e.callee)) yield { ...e, callee };
      for (const args of shrinkList(e.args, shrinkExpr)) yield { ...e, args };
      return;
    case 'arr':
      if (e.hole) yield { ...e, hole: false };
      for (const items of shrinkList(e.items, shrinkExpr)) yield { ...e, items };
      return;
    case 'obj':
      for (const props of shrinkList(e.props, shrinkProp)) yield { ...e, props };
      return;
    case 'setD':
      if (e.op !== '=') yield { ...e, op: '=' };
      for (const key of shrinkExpr(e.key)) yield { ...e, key };
      for (const x of shrinkExpr(e.e)) yield { ...e, e: x };
      return;
    case 'getD': case 'del':
      for (const key of shrinkExpr(e.key)) yield { ...e, key };
      return;
    case 'tpl':
      for (const a of shrinkExpr(e.a)) yield { ...e, a };
      for (const b of shrinkExpr(e.b)) yield { ...e, b };
      return;
  }
}

function* shrinkUsingDecl(u: UsingDecl): Generator<UsingDecl> {
  if (u.src !== 'res') yield { ...u, src: 'res' };
  if (u.fail) yield { ...u, fail: false };
  for (const e of shrinkExpr(u.e)) yield { ...u, e };
}

function* shrinkOdd(o: Odd): Generator<Odd> {
  if (o.mode !== 0) yield { ...o, mode: 0 };
  if (o.n > 0) yield { ...o, n: o.n - 1 };
}

function* shrinkProp(p: { key: Expr | null; v: Expr }): Generator<{ key: Expr | null; v: Expr }> {
  if (p.key !== null) {
    yield { ...p, key: null };
    for (const key of shrinkExpr(p.key)) yield { ...p, key };
  }
  for (const v of shrinkExpr(p.v)) yield { ...p, v };
}

// ---------------------------------------------------------------------------
// The fixed parts of every program

/**
 * Everything around the coroutine under test. `h`, `fail` and `bg` are
 * coroutines too, so they are lowered as well; `iter` and `sub` are plain
 * generators (for-of and `yield*` targets), never lowered.
 */
/**
 * The helper module every program imports as './prelude'. The harness
 * compiles it once per side (so `h`, `fail` and `bg`, coroutines too, are
 * lowered along with `main`) and gives each run a fresh copy. `iter` and `sub`
 * are plain generators (for-of and `yield*` targets), never lowered.
 */
export const PRELUDE = `import { coroutine, sleep, Future, IOLoop, setLogger, GencoroError } from 'gencoro';
declare const print: (s: string) => void;
// Node 20 has Symbol.dispose in its main context only, not in a fresh vm context (every run): the
// polyfill TypeScript's helpers and the runtime both read.
if (typeof (Symbol as any).dispose !== 'symbol') (Symbol as any).dispose = Symbol('Symbol.dispose');
const loop = new IOLoop({ clock: 'virtual' });
const out: string[] = [];
export const fns: Array<() => any> = [];
export const D: any = {};
export const G = { v: 0 };
let at = 0, steps = 0;
function show(x: any, d = 0): string {
  if (typeof x === 'string') return /^[a-z]\\w*$/i.test(x) && !/^(true|false|null|undefined|NaN|Infinity)$/.test(x) ? x : JSON.stringify(x);
  if (x === null || typeof x !== 'object' && typeof x !== 'function') return String(x);
  if (typeof x === 'function') return 'fn';
  if (x instanceof Future) return 'Future';
  // Node 20 has no SuppressedError: TypeScript's helpers and the runtime make an Error with this name.
  if (x instanceof Error && x.name === 'SuppressedError') return 'Suppressed(' + show(x.error, d + 1) + ',' + show(x.suppressed, d + 1) + ')';
  if (x instanceof Error) return x.name + (x instanceof GencoroError ? '(' + x.message + ')' : '');
  if (x === O) return 'O';
  if (d > 3) return '...';
  if (Array.isArray(x)) { const s: string[] = []; for (let i = 0; i < x.length; i++) s.push(show(x[i], d + 1)); return '[' + s.join(',') + ']'; }
  return '{' + Object.keys(x).map((k) => k + ':' + show(x[k], d + 1)).join(',') + '}';
}
/** The trace: appends show(x), preceded by @ms whenever the virtual clock moved; returns x. */
export function t(x: any): any {
  if (++steps > ${STEP_LIMIT}) throw 'STEP LIMIT';
  if (loop.time() !== at) { at = loop.time(); out.push('@' + at); }
  out.push(show(x));
  return x;
}
export function ready(v: any) { const f = new Future(); f.setResult(v); return f; }
export function failNow(v: any) { const f = new Future(); f.setException({ no: v }); return f; }
export const h = coroutine(function* (v: any, ms: number) { yield sleep(ms); t('h' + ms); return v; });
export const fail = coroutine(function* (v: any, ms: number) { yield sleep(ms); throw 'x' + v; });
export const bg = coroutine(function* (v: any, ms: number) { yield sleep(ms); G.v = v; t('bg'); });
/**
 * A resource for \`using\`: its \`[Symbol.dispose]()\` traces [dispose,name,v] (v read through
 * \`this\`), then throws 'd' + name when \`fail\`.
 */
export function res(name: string, v: any, fail: boolean): any {
  return { v, [Symbol.dispose]() { t(['dispose', name, (this as any).v]); if (fail) throw 'd' + name; } };
}
/** null, for \`using\` (nothing to dispose). */
export function nul(v: any): any { return null; }
/** Item k of iter or odd: v, or (for \`for (using ...)\`, with \`u\`) null if k is nul-1, else res(u_k, v, k is fail-1). */
function item(v: any, k: number, u: string | undefined, fail: number, nul: number): any {
  return u === undefined ? v : k === nul - 1 ? null : res(u + '_' + k, v, k === fail - 1);
}
export function* iter(n: number, u?: string, fail = 0, nul = 0) { try { for (let i = 0; i < n; i++) yield item(t('it' + i), i, u, fail, nul); } finally { t('itEnd'); } }
export function* sub(v: any): Generator<any, any, any> { try { t('sub'); const r = yield h(v, 1); return (yield ready(r)) + 1; } finally { t('subEnd'); } }
export function f(...a: any[]) { t('f' + a.length); return a[0]; }
export function fk(x: any) { t('fk'); return f; }
export class Base { b() { t('b' + (this as any).id); return 'B'; } }
export const O = { id: 'O', v: 1, get g() { t('get'); return this.v; }, m(...a: any[]) { t('m' + this.id + a.length); return a[0]; } };
/**
 * True in TypeScript's ES5 output (the lowered side at --target es5), which
 * gets some things wrong by itself: it loses the names of functions defined as
 * destructuring defaults, closes an iterator whose value getter threw, makes a
 * \`{ __proto__ }\` shorthand a prototype, and copies an own __proto__ key of an
 * object rest as a prototype. nm, odd and po then show what native code shows.
 */
const [es5Probe = () => 0]: any[] = [];
const ES5 = es5Probe.name !== 'es5Probe';
/** fn.name, or (in TypeScript's ES5 output) the name native code infers. */
export function nm(fn: any, native: string) { return ES5 && typeof fn === 'function' ? native : fn.name; }
/**
 * getQ() of a body that declares \`var q\`: the parameter q, which native code
 * keeps 'q' (the body's q is another binding); TypeScript's ES5 output makes
 * them one.
 */
export function pq(getQ: () => any) { return ES5 ? 'q' : getQ(); }
/** The module's \`const __proto__\` of every program. */
export const P = { inh: 'P' };
/**
 * An object's own __proto__ key, its prototype and its other keys. \`short\`:
 * the object (or, for an object rest, its source \`from\`) was made with a
 * { __proto__ } shorthand.
 */
export function po(o: any, short: boolean, from: any = o) {
  const own = Object.prototype.hasOwnProperty.call(o, '__proto__') ? (o.__proto__ === P ? 'ownP' : 'own') : '-';
  const p = Object.getPrototypeOf(o);
  const proto = p === P ? 'P' : p === Object.prototype ? 'Op' : p === null ? 'null' : Array.isArray(p) ? 'arr' : 'other';
  const keys = Object.keys(o).filter((k) => k !== '__proto__');
  // In TypeScript's ES5 output the shorthand made P the prototype (or the lowering made it an own key).
  const madeShort = short && (Object.prototype.hasOwnProperty.call(from, '__proto__') || Object.getPrototypeOf(from) === P);
  return ES5 && madeShort ? ['ownP', 'Op', keys] : [own, proto, keys];
}
/**
 * 0..n-1, with odd results (see Odd in program.ts): \`done\` getters (traced
 * on their first read only: TypeScript's ES5 output reads them twice),
 * mode 1: the last \`value\` getter throws, 2: return() throws, 3: \`done\` is
 * 0/1 and a done result's \`value\` throws, 4: no return(). return() is traced.
 * With \`u\` (for \`for (using ...)\`), the values are resources (see item).
 */
export function odd(n: number, mode: number, u?: string, fail = 0, nul = 0) {
  let i = 0, threw = false;
  const it: any = {
    next() {
      const k = i++;
      let read = false;
      return {
        get done() { if (!read) { read = true; t('d' + k); } return mode === 3 ? +(k >= n) : k >= n; },
        get value() {
          if (mode === 3 && k >= n) throw 'doneValue';
          if (mode === 1 && k === n - 1) { threw = true; throw 'value' + k; }
          return item(k, k, u, fail, nul);
        },
      };
    },
  };
  it[Symbol.iterator] = () => it;
  if (mode !== 4) {
    it.return = () => {
      // Native code never closes an iterator whose value getter threw; TypeScript's ES5 output does.
      if (ES5 && threw) return {};
      t('ret');
      if (mode === 2) throw 'ret';
      return {};
    };
  }
  return it;
}
/**
 * Runs main on the virtual loop, calls the closures it left in fns, then (if
 * \`drive\` is not empty) calls main's body again without the runner and drives
 * it by hand; prints "trace => ok result | threw error @ms D=data | drive".
 */
export function finish(main: any, p: any, drive: string) {
  setLogger((m: string, e: any) => { t('log:' + show(e)); });
  let result: string;
  try { result = 'ok ' + show(loop.runSync(() => main.call(O, p, 'q'), { timeout: 100000 })); } catch (e) { result = 'threw ' + show(e); }
  try { t(fns.map((fn) => fn())); } catch (e) { t('fns threw ' + show(e)); }
  let driven = '';
  if (drive !== '') {
    out.push('|');
    try {
      const g = main.__wrapped__.call(O, p, 'q');
      for (let k = 0; k < 30; k++) {
        const op = drive[k % drive.length];
        // next() sends [k], not k: iterable, so array destructuring of it works even in
        // TypeScript's ES5 output, whose __read accepts non-iterables where native code throws.
        const r = op === 'n' ? g.next([k]) : op === 't' ? g['throw']('T' + k) : g['return']('R' + k);
        t(op + k + ':' + show(r.value) + (r.done ? ':done' : ''));
        if (r.done) break;
      }
    } catch (e) { t('drive threw ' + show(e)); }
  }
  print(out.join(' ') + ' => ' + result + ' @' + loop.time() + ' D=' + show(D) + (steps > ${STEP_LIMIT} ? ' (STEP LIMIT)' : ''));
}
`;

/** The program's first lines (the prelude's names in scope). */
export const HEADER = `import { coroutine, sleep, moment, wait } from 'gencoro';
import { t, ready, failNow, h, fail, bg, iter, sub, f, fk, O, G, D, fns, finish, Base, nm, odd, po, P, pq, res, nul } from './prelude';
/** Names of this module (not imports, which compile to \`prelude_1.x\`): the body reads S last; { __proto__ } is an own key. */
const S = 'module S', __proto__: any = P;
`;

// ---------------------------------------------------------------------------
// Printing

interface Binding { name: string; mutable: boolean }
interface JumpTarget { kind: 'loop' | 'switch' | 'block'; label: string | null }

class Printer {
  private id = 0;
  private lines: string[] = [];
  private indent = '  ';
  private scopes: Binding[][] = [];
  private jumps: JumpTarget[] = [];
  /** For each `try` block being printed, the length of `jumps` at its start (the targets outside it). */
  private tryMarks: number[] = [];
  private noYield = 0;
  private caseScopes = new Set<Binding[]>();
  /** Only a block's first statement may shadow: a later `let x` would put earlier reads of x in its TDZ. */
  private firstInBlock = false;
  /** The parameter list has `getQ = () => q` (see ProgramTree.getQ). */
  private getQ = false;
  /** How the body calls getQ. */
  private readQ = 'getQ()';

  program(tree: ProgramTree): string {
    this.getQ = tree.perCall && tree.getQ;
    const varq = hasVarq(tree.body);
    // pq: TypeScript's own ES5 output merges the body's `var q` with the parameter getQ reads.
    this.readQ = varq ? 'pq(getQ)' : 'getQ()';
    this.scopes = [[{ name: 'p', mutable: true }, { name: 'a', mutable: true }, { name: 'b', mutable: true },
      { name: 'c', mutable: true }]];
    // q: the parameter (step per call), or the body's `var q` (hoisted, so readable anywhere).
    const hasQ = tree.perCall || varq;
    if (hasQ) this.scopes[0].push({ name: 'q', mutable: true });
    this.line("let a: any = 1, b: any = 'b', c: any = [];");
    this.stmts(tree.body);
    this.line('return [a, b, c, S' + (hasQ ? ', q' : '') + (this.getQ ? ', ' + this.readQ : '') + '];');
    const params = tree.perCall ? "p: any, q: any = 'q'" + (this.getQ ? ', getQ = () => q' : '') : 'p: any';
    return HEADER + 'const main = coroutine(function* (this: any, ' + params + '): Generator<any, any, any> {\n' +
      this.lines.join('\n') + '\n});\nfinish(main, ' + tree.p + ", '" + tree.drive.join('') + "');\n";
  }

  // -- helpers ---------------------------------------------------------------

  private fresh(prefix: string): string { return prefix + this.id++; }
  private line(s: string): void { this.lines.push(this.indent + s); }
  private nested(f: () => void): void {
    const saved = this.indent;
    this.indent += '  ';
    try { f(); } finally { this.indent = saved; }
  }
  private withScope(bindings: Binding[], f: () => void): void {
    this.scopes.push(bindings.slice());
    try { f(); } finally { this.scopes.pop(); }
  }
  private declare(b: Binding): void { this.scopes[this.scopes.length - 1].push(b); }
  /** Bindings visible here, innermost first, one per name. */
  private visible(): Binding[] {
    const seen = new Set<string>();
    const result: Binding[] = [];
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const scope = this.scopes[s];
      for (let i = scope.length - 1; i >= 0; i--) {
        if (seen.has(scope[i].name)) continue;
        seen.add(scope[i].name);
        result.push(scope[i]);
      }
    }
    return result;
  }
  private readable(i: number): string {
    const v = this.visible();
    return v[i % v.length].name;
  }
  private assignable(i: number): string {
    const v = this.visible().filter((b) => b.mutable);
    // Every mutable name can be hidden by nested `const` shadows: fall back to a property.
    return v.length === 0 ? 'G.v' : v[i % v.length].name;
  }
  /** A block `{ ... }` with its own scope, opened after `head`. */
  private block(head: string, body: Stmt[], bindings: Binding[] = [], tail = ''): void {
    this.line(head + '{');
    this.nested(() => this.withScope(bindings, () => this.stmts(body)));
    this.line('}' + tail);
  }
  private withJump(target: JumpTarget, f: () => void): void {
    this.jumps.push(target);
    try { f(); } finally { this.jumps.pop(); }
  }
  /** Puts `label:` before a loop or block and registers it as a jump target. */
  private labelled(kind: 'loop' | 'block', label: boolean): { prefix: string; target: JumpTarget } {
    const name = label ? this.fresh('L') : null;
    return { prefix: name === null ? '' : name + ': ', target: { kind, label: name } };
  }

  // -- statements --------------------------------------------------------------

  /** `list`; `after`: the block already has a statement before it (so none of `list` may shadow). */
  private stmts(list: Stmt[], after = false): void {
    list.forEach((s, i) => {
      this.firstInBlock = i === 0 && !after;
      this.stmt(s);
    });
  }

  private stmt(s: Stmt): void {
    switch (s.k) {
      case 'expr':
        this.line('t(' + this.expr(s.e) + ');');
        return;
      case 'decl': {
        const here = this.scopes[this.scopes.length - 1];
        let name: string | null = null;
        if (s.shadow !== null && this.firstInBlock && this.scopes.length > 1 && !this.caseScopes.has(here)) {
          // Never q: a `var q` (see 'varq') anywhere inside the block would clash with it.
          const candidates = this.visible().filter((b) => b.name !== 'q' && !here.some((h) => h.name === b.name));
          if (candidates.length > 0) name = candidates[s.shadow % candidates.length].name;
        }
        if (name === null) name = this.fresh('v');
        // The initializer must not read the new binding (TDZ): hide the name while printing it.
        const hidden = name;
        const init = this.hiding(hidden, () => this.expr(s.e));
        this.line(s.kind + ' ' + name + ' = ' + init + ';');
        this.declare({ name, mutable: s.kind === 'let' });
        return;
      }
      case 'destr': {
        const x = this.fresh('v');
        const y = this.fresh('v');
        const items = [this.expr(s.a)];
        if (s.b !== null) items.push(this.expr(s.b));
        const dflt = this.expr(s.dflt);
        let rhs = s.obj
          ? '{ x: ' + items[0] + (items.length > 1 ? ', y: ' + items[1] : '') + ' }'
          : s.odd !== null ? 'odd(' + s.odd.n + ', ' + s.odd.mode + ')' : '[' + items.join(', ') + ']';
        if (s.viaYield) rhs = this.viaYield(rhs);
        const pattern = s.obj ? '{ x: ' + x + ', y: ' + y + ' = ' + dflt + ' }' : '[' + x + ', ' + y + ' = ' + dflt + ']';
        this.line(s.kind + ' ' + pattern + ' = ' + rhs + ';');
        this.declare({ name: x, mutable: s.kind === 'let' });
        this.declare({ name: y, mutable: s.kind === 'let' });
        return;
      }
      case 'closure':
        this.noYield++;
        try {
          const body = this.expr(s.e);
          if (s.shape === 'method') {
            this.line("fns.push(((o) => () => o.m())({ id: 'method', m() { return " + body + '; } }));');
          } else if (s.shape === 'class') {
            this.line("fns.push(((k) => () => k.v)(new (class { id = 'class'; v = " + body + '; })()));');
          } else if (s.shape === 'static') {
            this.line("fns.push(((k) => () => k.v)(class { static id = 'static'; static v: any; static { this.v = " + body + '; } }));');
          } else if (s.shape === 'classDecl') {
            const k = this.fresh('K');
            this.line('class ' + k + " extends Base { static s = typeof " + k + "; id = 'decl'; m() { return [" + k + '.s, super.b(), ' + body + ']; } }');
            this.line('fns.push(() => new ' + k + '().m());');
          } else if (s.shape === 'funcDecl') {
            // Used before its declaration: a function declaration is made when its block is entered.
            const fn = this.fresh('F');
            this.line("fns.push(" + fn + ".bind({ id: 'funcDecl' }));");
            this.line('function ' + fn + '(this: { id: string }) { return ' + body + '; }');
          } else if (s.shape === 'shadowing') {
            this.line("fns.push(() => { const S = 'own S'; function t(x: any) { return 'own t ' + x; } return [S, t(1), " + body + ']; });');
          } else if (s.shape === 'function') {
            this.line("fns.push(function (this: { id: string }) { return " + body + "; }.bind({ id: 'function' }));");
          } else {
            // An object literal right after `=>` would parse as a block.
            this.line('fns.push(() => ' + (body.startsWith('{') ? '(' + body + ')' : body) + ');');
          }
        } finally { this.noYield--; }
        return;
      case 'callFns':
        this.line('t(fns.map((fn) => fn()));');
        return;
      case 'names':
        this.names(s);
        return;
      case 'objlit':
        this.objlit(s);
        return;
      case 'shadowMod':
        this.shadowMod(s);
        return;
      case 'varq':
        this.line('var q: any' + (s.e === null ? '' : ' = ' + this.expr(s.e)) + ';');
        if (this.getQ) this.line('t([q, ' + this.readQ + ']);');
        return;
      case 'using':
        this.using(s);
        return;
      case 'bg':
        this.line('bg(' + this.expr(s.e) + ', ' + s.ms + ');');
        return;
      case 'break':
      case 'continue': {
        const options = this.jumpOptions(s.k);
        if (options.length > 0) this.line(options[s.i % options.length].text);
        return;
      }
      case 'return':
        this.line(s.e === null ? 'return;' : 'return ' + this.expr(s.e) + ';');
        return;
      case 'throw':
        this.line('throw ' + (s.obj ? '{ thrown: ' + this.expr(s.e) + ' }' : this.expr(s.e)) + ';');
        return;
      case 'if': {
        this.block('if (' + this.expr(s.c) + ') ', s.a);
        if (s.b !== null) {
          this.lines[this.lines.length - 1] += ' else {';
          this.nested(() => this.withScope([], () => this.stmts(s.b!)));
          this.line('}');
        }
        return;
      }
      case 'switch': {
        this.line('switch (' + this.expr(s.d) + ') {');
        let sawDefault = false;
        this.withJump({ kind: 'switch', label: null }, () => this.nested(() => {
          s.cases.forEach((c, i) => {
            let test = '';
            if (c.test === null && !sawDefault) {
              sawDefault = true;
              this.line('default:');
            } else {
              test = c.test === null ? String(i) : this.expr(c.test);
              // TypeScript reads "case (x, y): {" (or ": let {", or ": case {") as an
              // arrow function with a return type; an empty statement after the colon
              // rules that out.
              this.line('case ' + test + ':' + (test.endsWith(')') ? ' ;' : ''));
            }
            // A case body is not a block: its declarations belong to the whole
            // switch. Each body gets its own visibility level (popped after it),
            // so no other case reads them (no TDZ), and no shadowing there (no
            // duplicate declarations).
            const scope: Binding[] = [];
            this.caseScopes.add(scope);
            this.scopes.push(scope);
            try {
              this.nested(() => this.stmts(c.body));
            } finally {
              this.scopes.pop();
            }
          });
        }));
        this.line('}');
        return;
      }
      case 'while':
      case 'do': {
        const n = this.fresh('n');
        const { prefix, target } = this.labelled('loop', s.label);
        const test = n + '++ < ' + s.n + (s.c === null ? '' : ' && ' + this.operand(s.c));
        this.line('let ' + n + ' = 0;');
        this.withJump(target, () => {
          if (s.k === 'while') this.block(prefix + 'while (' + test + ') ', s.body);
          else this.block(prefix + 'do ', s.body, [], ' while (' + test + ');');
        });
        return;
      }
      case 'for': {
        const i = this.fresh('i');
        const n = 'n' + i.slice(1);
        const { prefix, target } = this.labelled('loop', s.label);
        const init = this.expr(s.init);
        const binding = { name: i, mutable: s.using === null };
        let head = '';
        this.withScope([binding], () => {
          const test = n + ' < ' + s.n + (s.c === null ? '' : ' && ' + this.operand(s.c));
          const upd = s.upd === null ? '' : ', t(' + this.expr(s.upd) + ')';
          if (s.using === null) {
            head = prefix + 'for (let ' + i + ' = ' + init + ', ' + n + ' = 0; ' + test + '; ' + n + '++, ' + i + '++' + upd + ') ';
          } else {
            // `using` takes no counter (a number is not disposable): the counter is declared before the loop.
            head = prefix + 'for (using ' + i + " = res('" + i + "', " + init + ', ' + s.using.fail + '); ' + test + '; ' + n + '++' + upd + ') ';
          }
        });
        if (s.using === null) {
          this.withJump(target, () => this.block(head, s.body, [binding]));
        } else {
          this.line('let ' + n + ' = 0;');
          // No `continue L` to a labelled `for (using ...)`: TypeScript 5.9's own output moves the label
          // to a block around the loop (a SyntaxError). `break L` and an unlabelled continue are fine.
          const outer: JumpTarget = { kind: 'block', label: target.label };
          this.withJump(outer, () => this.withJump({ kind: 'loop', label: null }, () => this.block(head, s.body, [binding])));
        }
        return;
      }
      case 'forof': {
        const x = this.fresh('x');
        const { prefix, target } = this.labelled('loop', s.label);
        // `using`: every item a resource x3_0, x3_1, ... (item fail-1's disposal throws, item nul-1 is null).
        const using = s.kind === 'using';
        const extra = using ? ", '" + x + "', " + s.fail + ', ' + s.nul : '';
        const item = (e: Expr, j: number): string => {
          const v = this.expr(e);
          if (!using) return v;
          return j === s.nul - 1 ? 'nul(' + v + ')' : "res('" + x + '_' + j + "', " + v + ', ' + (j === s.fail - 1) + ')';
        };
        const source = s.odd !== null ? 'odd(' + s.odd.n + ', ' + s.odd.mode + extra + ')'
          : s.iter !== null ? 'iter(' + s.iter + extra + ')' : '[' + s.items.map(item).join(', ') + ']';
        const binding = { name: x, mutable: s.kind === 'let' };
        this.withJump(target, () =>
          this.block(prefix + 'for (' + s.kind + ' ' + x + ' of ' + source + ') ', s.body, [binding]));
        return;
      }
      case 'forin': {
        const k = this.fresh('k');
        const { prefix, target } = this.labelled('loop', s.label);
        const source = s.useD ? 'D' : '{ ' + s.props.map((e, j) => 'p' + j + ': ' + this.expr(e)).join(', ') + ' }';
        this.withJump(target, () =>
          this.block(prefix + 'for (const ' + k + ' in ' + source + ') ', s.body, [{ name: k, mutable: false }]));
        return;
      }
      case 'block': {
        const { prefix, target } = this.labelled('block', s.label);
        if (target.label === null) this.block('', s.body);
        else this.withJump(target, () => this.block(prefix, s.body));
        return;
      }
      case 'scope': {
        const { prefix, target } = this.labelled('block', s.label);
        if (s.native) this.noYield++;
        try {
          this.withJump(target, () => {
            this.line(prefix + '{');
            this.nested(() => this.withScope([], () => {
              // A native scope's disposal fails only inside a try (elsewhere it would just end the
              // run early: the other scopes test that). Left by a throw, it always fails: a SuppressedError.
              const fail = s.exit === 'throw' || s.decl.fail && (!s.native || this.tryMarks.length > 0);
              const [name] = this.using({ k: 'using', first: { ...s.decl, fail }, second: null, viaYield: false });
              this.stmts(s.body, true);
              if (s.exit === 'return') this.stmt({ k: 'return', e: null });
              else if (s.exit === 'throw') this.line("throw 't" + name + "';");
              else if (s.exit !== null) {
                // A target outside the innermost try around (a jump through it), else the innermost
                // outside this block.
                const own = this.jumps.length - 1;
                const mark = this.tryMarks.length > 0 ? this.tryMarks[this.tryMarks.length - 1] : -1;
                const options = this.jumpOptions(s.exit).filter((o) => o.at !== own);
                const jump = options.find((o) => o.at < mark) ?? options[0];
                if (jump !== undefined) this.line(jump.text);
              }
            }));
            this.line('}');
          });
        } finally {
          if (s.native) this.noYield--;
        }
        return;
      }
      case 'try': {
        const { prefix, target } = this.labelled('block', s.label);
        if (target.label === null) this.tryStmt(s, prefix);
        else this.withJump(target, () => this.tryStmt(s, prefix));
        return;
      }
    }
  }

  /** A try statement (its label, if any, already a jump target), printed after `prefix`. */
  private tryStmt(s: Extract<Stmt, { k: 'try' }>, prefix: string): void {
    this.tryMarks.push(this.jumps.length);
    try { this.block(prefix + 'try ', s.body); } finally { this.tryMarks.pop(); }
    if (s.handler === null && s.fin === null) {
      this.lines[this.lines.length - 1] += ' finally {';
      this.line('}');
      return;
    }
    if (s.handler !== null) {
      const h = s.handler;
      const e = h.param ? this.fresh('e') : null;
      this.lines[this.lines.length - 1] += e === null ? ' catch {' : ' catch (' + e + ') {';
      this.nested(() => this.withScope(e === null ? [] : [{ name: e, mutable: true }], () => {
        if (e !== null) this.line('t(' + e + ');');
        this.stmts(h.body);
      }));
      this.line('}');
    }
    if (s.fin !== null) {
      this.lines[this.lines.length - 1] += ' finally {';
      this.nested(() => this.withScope([], () => this.stmts(s.fin!)));
      this.line('}');
    }
  }

  private names(s: Extract<Stmt, { k: 'names' }>): void {
    const n = this.fresh('v');
    const m = this.fresh('v');
    const fn = s.fn === 'arrow' ? '() => 1' : s.fn === 'function' ? 'function () { return 2; }' : 'class { static k = 3; }';
    const e = this.expr(s.e);
    switch (s.form) {
      case 'arrDflt':
        this.line('const [' + n + ' = ' + fn + ', ' + m + ' = ' + e + '] = ' + this.viaYield('[] as any[]', s.viaYield) + ';');
        // nm: TypeScript's own ES5 output loses this name.
        this.line('t([nm(' + n + ", '" + n + "'), " + m + ']);');
        break;
      case 'objDflt':
      case 'objDfltShort':
        this.line('let ' + n + ': any, ' + m + ': any;');
        this.line('({ ' + n + ' = ' + fn + ', ' + (s.form === 'objDflt' ? 'x: ' : '') + m + ' = ' + e + ' } = ' + this.viaYield('{} as any', s.viaYield) + ');');
        this.line('t([nm(' + n + ", '" + n + "'), " + m + ']);');
        break;
      case 'objVal':
        // The function before (or after) a value that usually yields.
        this.line('const ' + n + ' = { ' + (s.viaYield ? 'x: ' + e + ', f: ' + fn : 'f: ' + fn + ', x: ' + e) + ' };');
        this.line('t([' + n + '.f.name, ' + n + '.x]);');
        break;
      case 'decl':
        this.line('const ' + (s.viaYield ? m + ' = ' + e + ', ' + n + ' = ' + fn : n + ' = ' + fn + ', ' + m + ' = ' + e) + ';');
        this.line('t([' + n + '.name, ' + m + ']);');
        break;
      case 'assign':
        // `||=` names the function too (when it assigns).
        this.line('let ' + n + ': any = ' + e + ';');
        this.line(n + (s.viaYield ? ' ||= ' : ' = ') + fn + ';');
        this.line('t(' + n + ' && ' + n + '.name);');
        break;
    }
  }

  /** Prints a `using` declaration; returns the names of its resources. */
  private using(s: Extract<Stmt, { k: 'using' }>): string[] {
    // Not directly in a case clause (TypeScript and the plugin decline that): a block of its own there.
    const inCase = this.caseScopes.has(this.scopes[this.scopes.length - 1]);
    if (inCase) this.scopes.push([]);
    const names: string[] = [];
    try {
      const decls: string[] = [];
      for (const u of s.second === null ? [s.first] : [s.first, s.second]) {
        const name = this.fresh('u');
        names.push(name);
        const e = this.expr(u.e);
        let v = u.src === 'res' ? "res('" + name + "', " + e + ', ' + u.fail + ')' : u.src === 'null' ? 'nul(' + e + ')' : e;
        if (s.viaYield && u === s.first) v = this.viaYield(v);
        decls.push(name + ' = ' + v);
        // In scope from here on (also in the second initializer); immutable, like `const`.
        this.declare({ name, mutable: false });
      }
      const line = 'using ' + decls.join(', ') + ';';
      this.line(inCase ? '{ ' + line + ' }' : line);
    } finally {
      if (inCase) this.scopes.pop();
    }
    return names;
  }

  /** The `break`s or `continue`s valid here, innermost first, each with the index of its target in `jumps`. */
  private jumpOptions(k: 'break' | 'continue'): Array<{ text: string; at: number }> {
    const options: Array<{ text: string; at: number }> = [];
    const plain = k + ';';
    for (let j = this.jumps.length - 1; j >= 0; j--) {
      const target = this.jumps[j];
      if (k === 'continue' && target.kind !== 'loop') continue;
      if (target.kind !== 'block' && !options.some((o) => o.text === plain)) options.push({ text: plain, at: j });
      if (target.label !== null) options.push({ text: k + ' ' + target.label + ';', at: j });
    }
    return options;
  }

  private objlit(s: Extract<Stmt, { k: 'objlit' }>): void {
    const n = this.fresh('v');
    const parts: string[] = [];
    const proto = s.proto === 'short' ? '__proto__' : s.proto === 'value' ? '__proto__: ' + (s.pv === null ? '__proto__' : this.expr(s.pv)) : null;
    // Accessors first: TypeScript's ES5 output defines the ones after a computed key (the lowering makes
    // a __proto__ shorthand one) as not enumerable.
    if (s.acc) parts.push('get $g(): any { return t(this.$x); }', "set $s(v: any) { t(['$s', v]); this.$x = v; }");
    if (proto !== null && s.first) parts.push(proto);
    parts.push('$x: ' + this.expr(s.x));
    s.props.forEach((p, i) => parts.push((p.key === null ? 'q' + i : '[' + this.expr(p.key) + ']') + ': ' + this.expr(p.v)));
    if (proto !== null && !s.first) parts.push(proto);
    const short = s.proto === 'short' ? 'true' : 'false';
    this.line('const ' + n + ': any = { ' + parts.join(', ') + ' };');
    this.line('t(po(' + n + ', ' + short + '));');
    if (s.acc) this.line('t([' + n + '.$g, ' + n + '.$s = ' + n + '.$x + 1, ' + n + '.$g]);');
    if (s.rest) {
      const r = this.fresh('v');
      this.line('const { $x: ' + this.fresh('v') + ', ...' + r + ' } = ' + n + ';');
      this.line('t(po(' + r + ', ' + short + ', ' + n + '));');
    }
  }

  private shadowMod(s: Extract<Stmt, { k: 'shadowMod' }>): void {
    const closure = s.form.startsWith('closure');
    if (closure) this.noYield++;
    try {
      const e = this.expr(s.e);
      switch (s.form) {
        case 'blockLet':
          this.line('{');
          this.nested(() => { this.line('let S: any = ' + e + ';'); this.line('t(S);'); });
          this.line('}');
          this.line('t(S);');
          return;
        case 'blockFunc':
          this.line('{');
          this.nested(() => {
            this.line("function f(x: any) { return 'own f ' + x; }");
            this.line('t(f(' + e + '));');
          });
          this.line('}');
          this.line('t(f(S));');
          return;
        case 'blockClass':
          this.line('{');
          this.nested(() => {
            // No static accessor: TypeScript's ES5 output of one in a renamed class (O_1) reads O_1 too early.
            this.line("class O { static id = 'own O'; static g = 'own g'; static m(...a: any[]) { return a[0]; } }");
            this.line('t([O.id, ' + e + ']);');
          });
          this.line('}');
          this.line('t(O.id);');
          return;
        case 'staticVar':
          this.line('class ' + this.fresh('K') + " { static { var S: any = 'own S'; t(S); } }");
          this.line('t([S, ' + e + ']);');
          return;
        case 'closureLet':
          this.line("fns.push(() => { { let S = 'own S'; t(S); } return [S, " + e + ']; });');
          return;
        case 'closureFunc':
          this.line("fns.push(() => { let r: any; { function t(x: any) { return 'own t ' + x; } r = t(1); } return [r, " + e + ']; });');
          return;
        case 'closureClass':
          this.line("fns.push(() => { { class S { static v = 'own S'; } t(S.v); } return [S, " + e + ']; });');
          return;
        case 'closureStaticVar':
          this.line("fns.push(((k) => () => k.v)(class { static id = 'sv'; static v: any; static { var S = 'own S'; this.v = [S, " + e + ']; } }));');
          return;
      }
    } finally {
      if (closure) this.noYield--;
    }
  }

  /** `(yield ready(x))` (if `when`), or where nothing may yield (closures, native scopes) `x` itself. */
  private viaYield(x: string, when = true): string {
    return !when || this.noYield > 0 ? x : '(yield ready(' + x + '))';
  }

  private hiding<T>(name: string, f: () => T): T {
    // A scope level that holds an immutable stand-in is not enough: the name
    // must disappear. Swap it out of every level for the duration.
    const saved = this.scopes;
    this.scopes = saved.map((scope) => scope.filter((b) => b.name !== name));
    try { return f(); } finally { this.scopes = saved; }
  }

  // -- expressions -------------------------------------------------------------

  /** An expression in a position that takes an AssignmentExpression (argument, initializer). */
  private expr(e: Expr): string {
    return e.k === 'bin' && e.op === ',' ? '(' + this.raw(e) + ')' : this.raw(e);
  }

  /** An expression as an operand: parenthesised unless atomic. */
  private operand(e: Expr): string {
    const s = this.raw(e);
    switch (e.k) {
      case 'num': case 'str': case 'var': case 'this': case 'args': case 'g': case 'get': case 't':
      case 'call': case 'arr': case 'tpl': case 'getD':
        return s;
      case 'yield':
        return this.noYield > 0 ? s : '(' + s + ')';
      default:
        return '(' + s + ')';
    }
  }

  private raw(e: Expr): string {
    switch (e.k) {
      case 'num': return String(e.v);
      case 'str': return "'" + e.v + "'";
      case 'var': return this.readable(e.i);
      case 'this': return 'this.id';
      case 'args':
        // Not inside closures: TypeScript's ES5 output does not capture `arguments` for arrows (TS2496).
        if (this.noYield > 0) return 'p';
        return e.i === 2 ? 'arguments.length' : 'arguments[' + e.i + ']';
      case 'g': return 'G.v';
      case 'get': return 'O.g';
      case 'yield': return this.yieldExpr(e);
      case 'bin': return this.operand(e.l) + ' ' + e.op + ' ' + this.operand(e.r);
      case 'un': return e.op + this.operand(e.e);
      case 'cond': return this.operand(e.c) + ' ? ' + this.expr(e.a) + ' : ' + this.expr(e.b);
      case 'call': {
        const args = e.args.map((a) => this.expr(a)).join(', ');
        if (e.f === 'fk') return 'fk(' + this.expr(e.callee) + ')(' + args + ')';
        return e.f + '(' + args + ')';
      }
      case 'arr': {
        const items = e.items.map((a) => this.expr(a));
        if (e.hole && items.length > 0) items.splice(1, 0, '');
        return '[' + items.join(', ') + (e.hole && items.length === 2 ? ',' : '') + ']';
      }
      case 'obj':
        return '{ ' + e.props.map((p, i) =>
          (p.key === null ? 'q' + i : '[' + this.expr(p.key) + ']') + ': ' + this.expr(p.v)).join(', ') + ' }';
      case 'assign': return this.assignable(e.i) + ' ' + e.op + ' ' + this.expr(e.e);
      case 'setD': return 'D[' + this.expr(e.key) + '] ' + e.op + ' ' + this.expr(e.e);
      case 'getD': return 'D[' + this.expr(e.key) + ']';
      case 'del': return 'delete D[' + this.expr(e.key) + ']';
      case 'upd': {
        const name = this.assignable(e.i);
        return e.prefix ? e.op + name : name + e.op;
      }
      case 't': return 't(' + this.expr(e.e) + ')';
      case 'tpl': return '`${' + this.expr(e.a) + '}-${' + this.expr(e.b) + '}`';
    }
  }

  private yieldExpr(e: Extract<Expr, { k: 'yield' }>): string {
    if (this.noYield > 0) return this.operand(e.e); // closures cannot yield: keep the operand
    const v = this.expr(e.e);
    switch (e.y) {
      case 'ready': return 'yield ready(' + v + ')';
      case 'h': return 'yield h(' + v + ', ' + e.ms + ')';
      case 'sleep': return 'yield sleep(' + e.ms + ')';
      case 'fail': return 'yield fail(' + v + ', ' + e.ms + ')';
      case 'failNow': return 'yield failNow(' + v + ')';
      case 'moment': return 'yield moment';
      case 'bare': return 'yield';
      case 'null': return 'yield null';
      case 'multi': return 'yield [h(' + v + ', ' + e.ms + '), ready(' + e.ms + ')]';
      case 'multiObj': return 'yield { x: fail(' + v + ', ' + e.ms + '), y: h(' + e.ms + ', 1) }';
      case 'wait': return 'yield* wait(h(' + v + ', ' + e.ms + '))';
      case 'sub': return 'yield* sub(' + v + ')';
      case 'bad': return 'yield ' + e.ms;
    }
  }
}

/** True if `list` has a 'varq' statement at any depth. */
function hasVarq(list: Stmt[]): boolean {
  return list.some((s) => s.k === 'varq' || childBlocks(s).some(hasVarq));
}

/** Prints a program tree as a complete TypeScript module. */
export function renderProgram(tree: ProgramTree): string {
  return new Printer().program(tree);
}

