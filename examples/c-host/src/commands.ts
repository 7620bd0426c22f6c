// What the program does with each line: small jobs on the loop's real clock.
import { coroutine, sleep, TimeoutError, WaitIterator, withTimeout } from 'gencoro';

declare const console: { log(line: string): void };
type Co<R = void> = Generator<unknown, R, any>;

/** A job that takes `ms` and returns its name. */
const job = coroutine(function* (name: string, ms: number): Co<string> {
  yield sleep(ms);
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
      // Jobs of the given lengths, reported in the order they finish.
      const jobs = new WaitIterator(...numbers.map((ms, i) => job('job ' + (i + 1) + ' (' + ms + ' ms)', ms)));
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
