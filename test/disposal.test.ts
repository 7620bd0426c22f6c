/**
 * The helpers lowered `using` declarations call (runtime/internal/disposal.ts),
 * against TypeScript's own helpers (`__addDisposableResource`,
 * `__disposeResources`), which an unlowered build uses: the same order, errors
 * and SuppressedError chains. (Whole programs, lowered and not:
 * test/differential/using-declarations.ts.txt; on Duktape, where the program
 * adds Symbol.dispose after the runtime loaded: fixtures/lowering/using-declarations.ts.)
 */
import test from 'ava';
import ts from 'typescript';
import { addDisposable, disposables, disposeAll, disposeFailed } from 'gencoro';

/** TypeScript's helpers, as its ES2020 output of a `using` declaration defines them. */
function typescriptHelpers(): { add: (env: unknown, value: unknown, async: boolean) => unknown; dispose: (env: unknown) => unknown } {
  const js = ts.transpileModule('{ using x = null; }', { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText;
  const helpers = js.slice(0, js.indexOf('\n{\n'));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(helpers + '\nreturn { add: __addDisposableResource, dispose: __disposeResources };')();
}

/** Runs one scope: registers `values`, ends with `bodyError` (if given); returns the log and what was thrown. */
function scope(values: unknown[], bodyError: unknown, own: boolean): { log: string[]; thrown: string } {
  const log: string[] = [];
  const h = typescriptHelpers();
  const env: any = own ? disposables() : { stack: [], error: undefined, hasError: false };
  let thrown = 'nothing';
  const describe = (e: any): string => e && e.name === 'SuppressedError'
    ? `Suppressed(${describe(e.error)} over ${describe(e.suppressed)}; ${e.message}; keys ${Object.keys(e).join(',')})`
    : e instanceof Error ? `${e.constructor.name}:${e.message}` : String(e);
  try {
    try {
      for (const v of values) {
        const r = own ? addDisposable(env, v) : h.add(env, v, false);
        log.push('added ' + (r === v));
      }
      if (bodyError !== undefined) throw bodyError;
    } catch (e) {
      if (own) disposeFailed(env, e); else { env.error = e; env.hasError = true; }
    } finally {
      if (own) disposeAll(env); else h.dispose(env);
    }
  } catch (e) {
    thrown = describe(e);
  }
  return { log, thrown };
}

const res = (log: string[] | null, name: string, fail = false) => ({
  name,
  [Symbol.dispose](this: { name: string }) {
    log?.push('dispose ' + this.name);
    if (fail) throw new Error('dispose ' + name);
  },
});

test('the same order, errors and SuppressedError chains as TypeScript\'s own helpers', (t) => {
  const cases: Array<[string, (log: string[]) => unknown[], unknown]> = [
    ['two resources, no error', (log) => [res(log, 'a'), null, res(log, 'b'), undefined], undefined],
    ['the body throws', (log) => [res(log, 'a'), res(log, 'b')], new Error('body')],
    ['one disposal fails', (log) => [res(log, 'a'), res(log, 'b', true)], undefined],
    ['the body and two disposals fail', (log) => [res(log, 'a', true), res(log, 'b', true)], 'thrown string'],
    ['a primitive', (log) => [res(log, 'a'), 5], undefined],
    ['an object without Symbol.dispose', (log) => [res(log, 'a'), { name: 'x' }], undefined],
    ['a function with Symbol.dispose', (log) => [Object.assign(() => 0, { [Symbol.dispose]: () => log.push('fn disposed') })], undefined],
  ];
  for (const [name, make, bodyError] of cases) {
    const ownLog: string[] = [];
    const tsLog: string[] = [];
    const own = scope(make(ownLog), bodyError, true);
    const theirs = scope(make(tsLog), bodyError, false);
    t.deepEqual({ ...own, log: [...own.log, ...ownLog] }, { ...theirs, log: [...theirs.log, ...tsLog] }, name);
  }
  t.is(scope([res(null, 'a', true), res(null, 'b', true)], undefined, true).thrown,
    'Suppressed(Error:dispose a over Error:dispose b; An error was suppressed during disposal.; keys name,error,suppressed)');
  t.is(scope([7], undefined, true).thrown, 'TypeError:Object expected.');
});
