/**
 * Which loop is current. It lives apart from ioloop.ts because Future.then
 * needs the current loop and ioloop.ts needs Future: keeping this state here
 * breaks that import cycle, so module initialisation order never matters.
 */

/** What a Future needs of a loop. */
export interface LoopLike {
  addCallback(callback: (...args: any[]) => unknown, ...args: unknown[]): void;
}

let current: LoopLike | null = null;
let makeDefault: (() => LoopLike) | null = null;

/** The current loop, made by the registered factory on first use. */
export function currentLoop(): LoopLike {
  if (current === null) current = makeDefault!();
  return current;
}

/** The current loop, or null if none was made yet. */
export function peekCurrentLoop(): LoopLike | null {
  return current;
}

export function setCurrentLoop(loop: LoopLike | null): void {
  current = loop;
}

/** Called once by ioloop.ts: how to make the default loop. */
export function setDefaultLoopFactory(factory: () => LoopLike): void {
  makeDefault = factory;
}
