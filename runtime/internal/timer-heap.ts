/**
 * The loop's timers: a binary min-heap ordered by (deadline, insertion number),
 * so equal deadlines fire in the order they were added. `removeTimeout` only
 * marks a timer; marked timers are dropped when they reach the top, and the
 * heap is rebuilt when more than half of it is marked, so a program that keeps
 * setting and clearing timeouts does not grow the heap without bound.
 */

/** One scheduled call; the object is also the handle `addTimeout` returns. */
export class Timer {
  /** @internal */ deadline: number;
  /** @internal */ seq: number;
  /** @internal */ callback: ((...args: unknown[]) => unknown) | null;
  /** @internal */ args: unknown[] | undefined;
  /** @internal True while the timer is in the heap. */ queued: boolean;
  /** @internal The heap (of one loop) the timer belongs to. */ heap: TimerHeap;
  constructor(heap: TimerHeap, deadline: number, seq: number, callback: (...args: unknown[]) => unknown,
    args: unknown[] | undefined) {
    this.heap = heap;
    this.deadline = deadline;
    this.seq = seq;
    this.callback = callback;
    this.args = args;
    this.queued = true;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

export class TimerHeap {
  private items: Timer[] = [];
  private cancelled = 0;
  private nextSeq = 0;

  /** Live (not cancelled) timers. */
  get size(): number {
    return this.items.length - this.cancelled;
  }

  push(deadline: number, callback: (...args: unknown[]) => unknown, args: unknown[] | undefined): Timer {
    const timer = new Timer(this, deadline, this.nextSeq++, callback, args);
    const items = this.items;
    items.push(timer);
    this.siftUp(items.length - 1);
    return timer;
  }

  /** Marks `timer` so it never fires; safe to call more than once, or after it fired. */
  cancel(timer: Timer): void {
    if (timer.heap !== this) {
      timer.heap.cancel(timer); // a handle of another loop: cancel it where it lives
      return;
    }
    if (timer.callback === null) return;
    timer.callback = null;
    timer.args = undefined;
    if (!timer.queued) return;
    this.cancelled++;
    if (this.cancelled > 64 && this.cancelled * 2 > this.items.length) this.rebuild();
  }

  /** The earliest live timer, or undefined. */
  peek(): Timer | undefined {
    this.dropCancelledTop();
    return this.items[0];
  }

  /** Removes and returns the earliest live timer if it is due by `now`. */
  popDue(now: number): Timer | undefined {
    const top = this.peek();
    if (top === undefined || top.deadline > now) return undefined;
    this.removeTop();
    top.queued = false;
    return top;
  }

  private dropCancelledTop(): void {
    const items = this.items;
    while (items.length > 0 && items[0].callback === null) {
      items[0].queued = false;
      this.removeTop();
      this.cancelled--;
    }
  }

  private removeTop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
  }

  private rebuild(): void {
    const live: Timer[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i].callback !== null) live.push(this.items[i]);
      else this.items[i].queued = false;
    }
    this.items = live;
    this.cancelled = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(i: number): void {
    const items = this.items;
    const item = items[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(items[child + 1], items[child])) child++;
      if (!before(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }
}
