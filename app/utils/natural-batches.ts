// Natural batching: one batch at a time, each made of whatever arrived while the one before was running. A call that
// finds nothing running goes at once, alone, so batching never makes a caller wait for others to arrive; under load
// the batches grow by themselves to the rate of arrivals (up to `maxSize`). Callers are served in arrival order.

type Waiting<In, Out> = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void };

/**
 * `run` gets the items of a batch and answers one result per item, in the same order. If it throws, every caller of
 * that batch gets the error.
 */
export function naturalBatches<In, Out>(
  run: (items: In[]) => Promise<Out[]>,
  { maxSize }: { maxSize: number },
): (item: In) => Promise<Out> {
  const waiting: Waiting<In, Out>[] = [];
  let running = false;

  async function runNext() {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxSize);
      try {
        const results = await run(batch.map((w) => w.item));
        if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} answered ${results.length} results`);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!running) void runNext();
    });
}
