// Work started ahead, results taken in order: what reading an image, decoding
// its xz blocks and reading a card back all need, since one request at a time
// leaves a disk (or a core) idle between requests.

/**
 * Starts `start(item)` for up to `ahead` items at once and yields the results
 * in the items' order. Stopped early (the consumer breaks or throws, or a start
 * fails), it waits for the work still running and hands each finished result to
 * `discard`, so buffers go back to their pool and nothing is left in flight.
 */
export async function* inOrderAhead<T, R>(items: Iterable<T>, ahead: number, start: (item: T) => Promise<R>, discard: (result: R) => void = () => {}): AsyncGenerator<R> {
  const it = items[Symbol.iterator]();
  const queue: Promise<R>[] = [];
  const fill = () => {
    while (queue.length < ahead) {
      const next = it.next();
      if (next.done) return;
      const work = start(next.value);
      // A failure is reported when its turn comes; until then it must not go unhandled.
      work.catch(() => {});
      queue.push(work);
    }
  };
  try {
    fill();
    while (queue.length) {
      const result = await queue.shift()!;
      fill();
      yield result;
    }
  } finally {
    for (const work of queue.splice(0)) await work.then(discard, () => {});
  }
}
