import { Future } from './future.js';
import { convertYielded } from './convert-yielded.js';
import { log, isQuiet, QuietExceptions } from './log.js';
import { checkChildren, quietOption, objectValues, zipObject, QuietOptions } from './multi.js';
import { IOLoop } from './ioloop.js';
import { RunnerHandle, YieldPoint } from './yield-point.js';
import { isArray } from './internal/values.js';

/**
 * The YieldPoint form of `multi`, used when children include YieldPoints:
 * every child is started together and results come back in input order, with
 * the same first-failure-raised, others-logged rule. Tornado:
 * `gen.MultiYieldPoint`.
 */
export class MultiYieldPoint extends YieldPoint {
  private keys: string[] | null;
  private children: YieldPoint[];
  private unfinished: YieldPoint[];
  private quiet: QuietExceptions | undefined;

  constructor(children: readonly unknown[] | { readonly [key: string]: unknown }, options?: QuietOptions) {
    super();
    checkChildren(children, 'MultiYieldPoint');
    this.quiet = quietOption(options, 'MultiYieldPoint');
    this.keys = isArray(children) ? null : Object.keys(children);
    const list = this.keys === null ? children as readonly unknown[] : objectValues(children as { [key: string]: unknown });
    this.children = [];
    for (let i = 0; i < list.length; i++) {
      const child = list[i];
      this.children.push(child instanceof YieldPoint ? child : new YieldFuture(convertYielded(child)));
    }
    this.unfinished = this.children.slice();
  }

  start(runner: RunnerHandle): void {
    for (let i = 0; i < this.children.length; i++) this.children[i].start(runner);
  }

  isReady(): boolean {
    while (this.unfinished.length > 0 && this.unfinished[0].isReady()) this.unfinished.shift();
    return this.unfinished.length === 0;
  }

  getResult(): unknown {
    let failed = false;
    let error: unknown;
    const results: unknown[] = [];
    for (let i = 0; i < this.children.length; i++) {
      try {
        results.push(this.children[i].getResult());
      } catch (e) {
        results.push(undefined);
        if (!failed) {
          failed = true;
          error = e;
        } else if (!isQuiet(e, this.quiet)) {
          log('Multiple exceptions in yield list', e);
        }
      }
    }
    if (failed) throw error;
    return this.keys === null ? results : zipObject(this.keys, results);
  }
}

let nextPrivateKey = 0;

/**
 * A Future inside a `MultiYieldPoint`. Tornado: `gen.YieldFuture`: a pending
 * Future is delivered through `addFuture` (one loop iteration) to a private
 * callback key; a done one is read directly.
 */
class YieldFuture extends YieldPoint {
  private runner: RunnerHandle | null = null;
  private key: unknown = null;
  constructor(private future: Future<unknown>) {
    super();
  }
  start(runner: RunnerHandle): void {
    if (this.future.done()) return;
    this.runner = runner;
    this.key = { yieldFuture: nextPrivateKey++ };
    runner.registerCallback(this.key);
    IOLoop.current().addFuture(this.future, runner.resultCallback(this.key));
  }
  isReady(): boolean {
    return this.runner === null ? true : this.runner.isReady(this.key);
  }
  getResult(): unknown {
    if (this.runner === null) return this.future.result();
    return (this.runner.popResult(this.key) as Future<unknown>).result();
  }
}
