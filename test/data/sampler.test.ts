import { test } from "node:test";
import assert from "node:assert/strict";
import { createWindowSampler, validationStarts, validationWindows } from "../../lib/data/sampler";
import { DataError } from "../../lib/util/errors";

/** A corpus where the id at position i is i mod 251, so a window reveals its own start offset. */
function ramp(length: number): Uint16Array {
  const a = new Uint16Array(length);
  for (let i = 0; i < length; i++) a[i] = i % 251;
  return a;
}

/** Every window must be a contiguous run of the corpus: consecutive ids in the ramp. */
function assertContiguous(ids: Int32Array, windowLength: number): void {
  for (let w = 0; w < ids.length / windowLength; w++) {
    for (let j = 1; j < windowLength; j++) {
      assert.equal(ids[w * windowLength + j], (ids[w * windowLength + j - 1]! + 1) % 251, `window ${w} breaks at ${j}`);
    }
  }
}

test("createWindowSampler(tokens, seq, seed).next(count) returns count contiguous windows of seq+1 ids", () => {
  const sampler = createWindowSampler(ramp(10_000), 64, 7);
  assert.equal(sampler.windowLength, 65);
  const batch = sampler.next(16);
  assert.equal(batch.length, 16 * 65);
  assertContiguous(batch, 65);
});

test("createWindowSampler(…) is deterministic per seed and differs between seeds", () => {
  const tokens = ramp(50_000);
  const a = createWindowSampler(tokens, 32, 1);
  const b = createWindowSampler(tokens, 32, 1);
  const c = createWindowSampler(tokens, 32, 2);
  for (let i = 0; i < 3; i++) assert.deepEqual(a.next(8), b.next(8));
  assert.notDeepEqual(createWindowSampler(tokens, 32, 1).next(8), c.next(8));
});

test("createWindowSampler(…) reaches both ends of the corpus and never reads past it", () => {
  // Corpus of seq + 3 tokens: exactly 3 possible starts (0, 1, 2); marker ids make each start visible.
  const tokens = new Uint8Array([10, 11, 12, 13, 14, 15, 16]); // seq = 4 → windows of 5, starts 0..2
  const sampler = createWindowSampler(tokens, 4, 3);
  const seen = new Set<number>();
  const ids = sampler.next(300);
  for (let w = 0; w < 300; w++) {
    const first = ids[w * 5]!;
    assert.ok(first >= 10 && first <= 12, `start id ${first} out of range`);
    assert.equal(ids[w * 5 + 4], first + 4);
    seen.add(first);
  }
  assert.deepEqual([...seen].sort(), [10, 11, 12]);
});

test("createWindowSampler(…) throws DataError when the corpus is shorter than one window", () => {
  assert.throws(() => createWindowSampler(new Uint8Array(64), 64, 0), (e: unknown) => e instanceof DataError && /corpus: .*seq \+ 1 = 65/.test(e.message));
  assert.doesNotThrow(() => createWindowSampler(new Uint8Array(65), 64, 0).next(1));
});

test("validationWindows(tokens, seq, count, seed) is fixed per seed and spread over the whole split", () => {
  const tokens = ramp(100_000);
  const a = validationWindows(tokens, 128, 32, 0);
  assert.deepEqual(a, validationWindows(tokens, 128, 32, 0));
  assert.notDeepEqual(a, validationWindows(tokens, 128, 32, 1));
  assertContiguous(a, 129);
  const starts = validationStarts(tokens, 128, 32, 0);
  const possible = tokens.length - 128;
  // One start per stratum of possible/32 offsets: the set covers the split from the first to the last stratum.
  starts.forEach((s, w) => {
    assert.ok(s >= Math.floor((w * possible) / 32) && s < Math.floor(((w + 1) * possible) / 32), `start ${s} outside stratum ${w}`);
  });
  assert.ok(starts[31]! + 129 <= tokens.length);
});

test("validationWindows(…) allows more windows than fit without overlap, and rejects a too-short split", () => {
  const tokens = ramp(100);
  const ids = validationWindows(tokens, 50, 200, 5);
  assert.equal(ids.length, 200 * 51);
  assertContiguous(ids, 51);
  assert.throws(() => validationWindows(new Uint16Array(10), 16, 4, 0), DataError);
});
