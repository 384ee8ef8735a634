import { createRng } from "../util/random";
import { DataError } from "../util/errors";

/**
 * Windows of `seq + 1` token ids cut from an in-memory corpus: the first `seq` ids are the inputs and
 * the last `seq` the targets (inputs shifted by one). Batches come back flat, window after window, as
 * one Int32Array of `count · (seq + 1)` ids, ready for `tf.tensor2d(ids, [count, seq + 1], "int32")`.
 */

export type TokenArray = Uint8Array | Uint16Array;

export interface WindowSampler {
  /** Window length in ids: seq + 1. */
  readonly windowLength: number;
  /** `count` windows starting at uniformly random offsets, drawn from the sampler's own seeded stream. */
  next(count: number): Int32Array;
}

/** Training batches: independent uniform window starts from a seeded RNG (same seed → same stream). */
export function createWindowSampler(tokens: TokenArray, seq: number, seed: number): WindowSampler {
  const starts = startCount(tokens, seq, "train");
  const rng = createRng(seed);
  const windowLength = seq + 1;
  return {
    windowLength,
    next(count: number): Int32Array {
      checkCount(count);
      const out = new Int32Array(count * windowLength);
      for (let w = 0; w < count; w++) {
        const start = rng.int(starts);
        out.set(tokens.subarray(start, start + windowLength), w * windowLength);
      }
      return out;
    },
  };
}

/**
 * A fixed validation set: `count` windows, one from each of `count` equal strata of the possible
 * starts, at a seeded offset inside its stratum — so the set spreads over the whole val split rather
 * than clumping, and the same (tokens, seq, count, seed) always gives the same windows.
 */
export function validationWindows(tokens: TokenArray, seq: number, count: number, seed: number): Int32Array {
  checkCount(count);
  const starts = validationStarts(tokens, seq, count, seed);
  const windowLength = seq + 1;
  const out = new Int32Array(count * windowLength);
  starts.forEach((start, w) => out.set(tokens.subarray(start, start + windowLength), w * windowLength));
  return out;
}

/** The start offsets behind `validationWindows` (ascending). */
export function validationStarts(tokens: TokenArray, seq: number, count: number, seed: number): number[] {
  checkCount(count);
  const starts = startCount(tokens, seq, "val");
  const rng = createRng(seed);
  const result: number[] = [];
  for (let w = 0; w < count; w++) {
    const lo = Math.floor((w * starts) / count);
    const hi = Math.max(lo + 1, Math.floor(((w + 1) * starts) / count));
    result.push(lo + rng.int(hi - lo));
  }
  return result;
}

/** Number of valid window starts; DataError when the corpus is shorter than one window. */
function startCount(tokens: TokenArray, seq: number, split: string): number {
  if (!Number.isInteger(seq) || seq < 1) throw new DataError(`seq must be a positive integer, got ${seq}`, "shape.seq");
  const starts = tokens.length - seq;
  if (starts < 1) {
    throw new DataError(
      `the ${split} split has ${tokens.length} tokens, fewer than one window of seq + 1 = ${seq + 1}`,
      "corpus",
      "use a larger corpus or a shorter shape.seq",
    );
  }
  return starts;
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new DataError(`window count must be a positive integer, got ${count}`, "count");
}
