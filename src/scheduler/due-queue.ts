// A min-heap of (due time, service id): the scheduler keeps ONE timer for the earliest entry.
// Entries are never removed in place; each carries the service's schedule version, and stale
// ones (rescheduled or removed services) are dropped when they reach the top.
export interface DueEntry {
  due: number;
  serviceId: string;
  version: number;
}

export class DueQueue {
  private readonly heap: DueEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  push(entry: DueEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].due <= heap[i].due) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  pop(): DueEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].due < heap[smallest].due) smallest = left;
        if (right < heap.length && heap[right].due < heap[smallest].due) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
