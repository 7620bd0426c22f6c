// Lines of input that the host delivers, for a coroutine to take one at a time.
import { Future } from 'gencoro';

export class Inbox {
  private lines: string[] = [];
  private waiting: Future<string | null> | null = null;
  private ended = false;

  /** The host calls this with each line, and with null at the end of its input. */
  put(line: string | null): void {
    if (this.ended) return;
    if (line === null) this.ended = true;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting.setResult(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }

  /** A Future of the next line, or of null once the input has ended. */
  get(): Future<string | null> {
    const next = new Future<string | null>();
    if (this.lines.length > 0) next.setResult(this.lines.shift()!);
    else if (this.ended) next.setResult(null);
    else this.waiting = next;
    return next;
  }
}
