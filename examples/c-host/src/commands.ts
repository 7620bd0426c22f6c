// What the program does with each line: small jobs on the loop's real clock.
import { coroutine, IOLoop, sleep, TimeoutError, WaitIterator, withTimeout } from 'gencoro';

declare const console: { log(line: string): void };
type Co<R = void> = Generator<unknown, R, any>;

/**
 * A job that ends at `until` (a time on the loop's clock) and returns its
 * name. Jobs started together end in the order of their lengths however
 * slowly the engine starts them (each gets its end time, not a length).
 */
const job = coroutine(function* (name: string, until: number): Co<string> {
  yield sleep(Math.max(0, until - IOLoop.current().time()));
  return name;
});

/** Runs one command line; its output goes to console.log. */
export const run = coroutine(function* (line: string): Co {
  const words = line.split(' ');
  const numbers: number[] = [];
  for (let i = 1; i < words.length; i++) numbers.push(Number(words[i]));
  switch (words[0]) {
    case 'echo':
      console.log(words.slice(1).join(' '));
      break;
    case 'sleep':
      yield sleep(numbers[0]);
      console.log('slept ' + numbers[0] + ' ms');
      break;
    case 'race': {
      // Jobs of the given lengths, all timed from now, reported in the order they finish.
      const start = IOLoop.current().time();
      const jobs = new WaitIterator(...numbers.map((ms, i) => job('job ' + (i + 1) + ' (' + ms + ' ms)', start + ms)));
      while (!jobs.done()) console.log('finished ' + (yield jobs.next()));
      break;
    }
    case 'timeout':
      // timeout LIMIT WORK: WORK ms of work under a limit of LIMIT ms.
      try {
        yield withTimeout(numbers[0], sleep(numbers[1]));
        console.log(numbers[1] + ' ms of work fit in ' + numbers[0] + ' ms');
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        console.log(numbers[1] + ' ms of work timed out after ' + numbers[0] + ' ms');
      }
      break;
    default:
      throw new Error('unknown command: ' + words[0]);
  }
});
