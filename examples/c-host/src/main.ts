// A gencoro program run by a host's own main loop (examples/c-host/host.c, a C
// program embedding Duktape). The host reads its input and calls these
// exports, which `gencoro-es5 --expose app` puts on the global `app`:
//   app.tick()        on every turn: runs what is ready, says how long it may wait
//   app.deliver(line) for each line of input, and deliver(null) at its end
//   app.status()      at exit: 0 when the program finished, 1 when it failed, 2 when it did not finish
import { coroutine, IOLoop } from 'gencoro';
import { Inbox } from './inbox';
import { run } from './commands';

declare const console: { log(line: string): void };
type Co<R = void> = Generator<unknown, R, any>;

// A loop that only the host's tick() drives, the same way on every engine
// (on Node too, where the default loop would be woken by Node itself).
const loop = new IOLoop({ standalone: true });
loop.makeCurrent();

const inbox = new Inbox();

const main = coroutine(function* (): Co<number> {
  let failures = 0;
  for (;;) {
    const line: string | null = yield inbox.get();
    if (line === null) break;
    if (line === '') continue;
    try {
      yield run(line);
    } catch (e) {
      failures++;
      console.log('error: ' + (e as Error).message);
    }
  }
  console.log('end of input, ' + failures + ' command(s) failed');
  return failures;
});

let exit = 2;
main().addDoneCallback(function (done) {
  try {
    done.result();
    exit = 0;
  } catch (e) {
    console.log('the program failed: ' + e);
    exit = 1;
  }
});

/**
 * Runs one loop iteration. Returns the ms the host may wait before calling
 * again (0: call again at once), or -1 when nothing is scheduled (wait for input).
 */
export function tick(): number {
  return loop.runOnce();
}

/** Gives the program a line of input; null says the input has ended. */
export function deliver(line: string | null): void {
  inbox.put(line);
}

/** 0 once the program has finished, 1 if it failed, 2 while it has not finished. */
export function status(): number {
  return exit;
}
