/**
 * A lowered generator called directly (not through the runner) behaves as
 * the generator would: the same scripted `next`/`throw`/`return` calls give
 * the same results on the native generator and on the lowered StateMachine,
 * including before start, after completion, `return()` while suspended in
 * try/finally (whose finally may yield), and re-entry from inside the body.
 */
import test from 'ava';
import { join } from 'node:path';
import ts from 'typescript';
import { runCommonJs } from './helpers/compile.js';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require(join(root, 'dist/transformer/index.js'));

const source = `
import { coroutine } from 'gencoro';
void coroutine;
/** @coroutine */
export function* simple(a: number) { const b = yield a; const c = yield a + b; return a + b + c; }
/** @coroutine */
export function* guarded(log: string[]) {
  try { log.push('try'); yield 1; log.push('after 1'); yield 2; }
  catch (e) { log.push('caught ' + e); yield 'from catch'; }
  finally { log.push('finally'); yield 'from finally'; log.push('finally end'); }
  return 'end';
}
/** @coroutine */
export function* overriding() { try { yield 1; } finally { return 'finally wins'; } }
/** @coroutine */
export function* reentrant(self: { g?: Generator }) { yield 1; self.g!.next(); }
/** @coroutine */
export function* delegating(log: string[]) { const r = yield* inner(log); log.push('inner returned ' + r); return r; }
/** @coroutine */
export function* inner(log: string[]) { try { yield 'i1'; yield 'i2'; } finally { log.push('inner finally'); } return 'inner done'; }
`;

type Call = ['next' | 'throw' | 'return', unknown];

function load(lowered: boolean): Record<string, (...args: unknown[]) => Generator> {
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    transformers: lowered ? { before: [createTransformer()] } : undefined,
  }).outputText;
  if (lowered && /function\s*\*/.test(out)) throw new Error('not lowered:\n' + out);
  return runCommonJs(out) as Record<string, (...args: unknown[]) => Generator>;
}

function drive(g: Generator, calls: Call[]): string[] {
  const seen: string[] = [];
  for (const [method, arg] of calls) {
    try {
      const r = (g[method] as (x: unknown) => IteratorResult<unknown>).call(g, arg);
      seen.push(method + ' -> ' + JSON.stringify(r));
    } catch (e) {
      seen.push(method + ' threw ' + (e instanceof TypeError ? 'TypeError' : String(e)));
    }
  }
  return seen;
}

const native = load(false);
const lowered = load(true);

const scripts: [string, (m: typeof native) => [Generator, string[]], Call[]][] = [
  ['next with values', (m) => [m.simple(1), []], [['next', 'ignored'], ['next', 2], ['next', 3], ['next', 4], ['return', 5], ['throw', 'x']]],
  ['throw before start finishes without running the body', (m) => { const log: string[] = []; return [m.guarded(log), log]; },
    [['throw', 'early'], ['next', 1]]],
  ['return before start finishes without running the body', (m) => { const log: string[] = []; return [m.guarded(log), log]; },
    [['return', 'r'], ['next', 1]]],
  ['throw while suspended in try goes to catch, then finally yields', (m) => { const log: string[] = []; return [m.guarded(log), log]; },
    [['next', 0], ['throw', 'boom'], ['next', 0], ['next', 0], ['next', 0]]],
  ['return while suspended in try runs finally, which yields before returning', (m) => { const log: string[] = []; return [m.guarded(log), log]; },
    [['next', 0], ['return', 'asked'], ['next', 0], ['next', 0]]],
  ['return while suspended in finally replaces the pending completion', (m) => { const log: string[] = []; return [m.guarded(log), log]; },
    [['next', 0], ['return', 'first'], ['return', 'second'], ['next', 0]]],
  ['a finally that returns overrides return()', (m) => [m.overriding(), []], [['next', 0], ['return', 'asked'], ['next', 0]]],
  ['yield* forwards next, throw and return to the inner generator', (m) => { const log: string[] = []; return [m.delegating(log), log]; },
    [['next', 0], ['next', 'a'], ['return', 'stop'], ['next', 0]]],
  ['yield* forwards throw into the inner generator', (m) => { const log: string[] = []; return [m.delegating(log), log]; },
    [['next', 0], ['throw', 'into inner'], ['next', 0]]],
];

for (const [title, make, calls] of scripts) {
  test(`lowered and native agree: ${title}`, (t) => {
    const [g1, log1] = make(native);
    const [g2, log2] = make(lowered);
    const a = drive(g1, calls);
    const b = drive(g2, calls);
    t.deepEqual(b, a);
    t.deepEqual(log2, log1);
  });
}

test('calling next from inside the running body throws a TypeError, as a generator does', (t) => {
  for (const m of [native, lowered]) {
    const self: { g?: Generator } = {};
    self.g = m.reentrant(self);
    self.g.next();
    t.throws(() => self.g!.next(), { instanceOf: TypeError });
  }
});

test('a lowered generator is iterable: Symbol.iterator returns itself', (t) => {
  const g = lowered.simple(1);
  t.is(g[Symbol.iterator](), g);
  t.deepEqual([...lowered.inner([])], ['i1', 'i2']);
});
