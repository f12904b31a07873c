import { describe, expect, it } from "vitest";
import { naturalBatches } from "~/utils/natural-batches";

/** A batch runner whose batches finish when the test says so, recording what each batch held. */
function controlledRunner() {
  const batches: number[][] = [];
  const finishers: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve) => finishers.push(() => resolve(items.map((n) => `answer ${n}`))));
  };
  return { batches, run, finishNext: () => finishers.shift()!() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("natural batches", () => {
  it("runs a call that finds nothing running at once and alone", async () => {
    const runner = controlledRunner();
    const call = naturalBatches(runner.run, { maxSize: 16 });
    const answer = call(1);
    expect(runner.batches).toEqual([[1]]);
    runner.finishNext();
    await expect(answer).resolves.toBe("answer 1");
  });

  it("batches what arrives while a batch runs, in arrival order, each caller getting its own answer", async () => {
    const runner = controlledRunner();
    const call = naturalBatches(runner.run, { maxSize: 16 });
    const answers = [1, 2, 3, 4].map((n) => call(n));
    expect(runner.batches).toEqual([[1]]);
    runner.finishNext();
    await settle();
    expect(runner.batches).toEqual([[1], [2, 3, 4]]);
    runner.finishNext();
    await expect(Promise.all(answers)).resolves.toEqual(["answer 1", "answer 2", "answer 3", "answer 4"]);
  });

  it("never runs two batches at once, and none larger than its maximum", async () => {
    const runner = controlledRunner();
    const call = naturalBatches(runner.run, { maxSize: 2 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => call(n));
    for (const expected of [[[1]], [[1], [2, 3]], [[1], [2, 3], [4, 5]], [[1], [2, 3], [4, 5], [6]]]) {
      expect(runner.batches).toEqual(expected);
      runner.finishNext();
      await settle();
    }
    await expect(Promise.all(answers)).resolves.toHaveLength(6);
  });

  it("fails every caller of a batch that failed, and goes on with the next batch", async () => {
    let calls = 0;
    const call = naturalBatches(
      async (items: number[]) => {
        calls += 1;
        if (calls === 2) throw new Error("database away");
        return items.map((n) => n * 10);
      },
      { maxSize: 16 },
    );
    const first = call(1);
    const failed = [call(2), call(3)];
    await expect(first).resolves.toBe(10);
    for (const answer of failed) await expect(answer).rejects.toThrow("database away");
    await expect(call(4)).resolves.toBe(40);
  });

  it("fails the batch's callers when the runner answers for fewer of them than it was given", async () => {
    const call = naturalBatches(async (items: number[]) => items.slice(1), { maxSize: 16 });
    await expect(call(1)).rejects.toThrow("A batch of 1 answered 0 results");
  });
});
