import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { ADDON_RELATIVE_PATH, loadNativeBlas, nativeBlasConfigSchema, type NativeBlas } from "../../lib/native/blas";
import { createRng } from "../../lib/util/random";

/** Unit roundoff of float32 doubled: a k-term float32 dot product errs by at most ≈ k·2⁻²⁴·Σ|aᵢbᵢ|. */
const F32_DOT_EPS = 2 ** -23;

const loaded = loadNativeBlas();

/** The addon, or a skip when it is not built (or explicitly disabled); a built addon that fails to load fails. */
function blasOrSkip(t: TestContext): NativeBlas | undefined {
  if (loaded.ok) return loaded.blas;
  if (!existsSync(ADDON_RELATIVE_PATH) || /^disabled by/.test(loaded.reason)) {
    t.skip(`native BLAS not built: ${loaded.reason}`);
    return undefined;
  }
  assert.fail(`the addon is built but does not load: ${loaded.reason}`);
}

function randomArray(seed: number, length: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

interface Product {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
}

/** Float64 reference of alpha·op(A)·op(B) + c0 with the per-element error bound of a float32 product. */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, c0: ArrayLike<number> | undefined, p: Product) {
  const { m, n, k, alpha = 1 } = p;
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let l = 0; l < k; l++) {
        const x = a[p.transA ? l * m + i : i * k + l]!;
        const y = b[p.transB ? j * k + l : l * n + j]!;
        sum += x * y;
        abs += Math.abs(x * y);
      }
      const base = c0 ? c0[i * n + j]! : 0;
      value[i * n + j] = alpha * sum + base;
      bound[i * n + j] = (k + 1) * F32_DOT_EPS * (Math.abs(alpha) * abs + Math.abs(base));
    }
  }
  return { value, bound };
}

function assertClose(actual: Float32Array, ref: { value: Float64Array; bound: Float64Array }, what: string): void {
  assert.equal(actual.length, ref.value.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - ref.value[i]!);
    if (!(err <= ref.bound[i]!)) assert.fail(`${what}[${i}]: ${actual[i]} vs ${ref.value[i]} (error ${err} > bound ${ref.bound[i]})`);
  }
}

const TRANS_CASES = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
];

test("loadNativeBlas() describes OpenBLAS and caches the result", (t) => {
  if (!blasOrSkip(t) || !loaded.ok) return;
  assert.equal(loadNativeBlas(), loaded);
  nativeBlasConfigSchema.parse(loaded.config);
  assert.match(loaded.config.openblas.buildConfig, /^OpenBLAS \d+\.\d+/);
  assert.ok(loaded.config.coreTypeApplied, `requested ${loaded.config.coreTypeRequested}, got ${loaded.config.openblas.coreName}`);
});

test("sgemm(a, b, c, m, n, k) matches a float64 reference for every transpose combination and odd sizes", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  for (const [m, n, k] of [[1, 1, 1], [7, 13, 5], [64, 48, 96], [130, 67, 257]] as const) {
    for (const trans of TRANS_CASES) {
      const p = { m, n, k, ...trans, alpha: 0.75 };
      const a = randomArray(m * 31 + k, m * k);
      const b = randomArray(n * 17 + k, k * n);
      const c = new Float32Array(m * n).fill(Number.NaN); // overwritten, never read, when not accumulating
      blas.sgemm(a, b, c, m, n, k, p);
      assertClose(c, reference(a, b, undefined, p), `${m}x${n}x${k} ${JSON.stringify(trans)}`);
    }
  }
});

test("sgemm(…, {accumulate: true}) adds the product into c", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  const [m, n, k] = [7, 13, 5];
  for (const trans of TRANS_CASES) {
    const a = randomArray(1, m * k);
    const b = randomArray(2, k * n);
    const c0 = randomArray(3, m * n);
    const c = c0.slice();
    blas.sgemm(a, b, c, m, n, k, { ...trans, accumulate: true });
    assertClose(c, reference(a, b, c0, { m, n, k, ...trans }), `accumulate ${JSON.stringify(trans)}`);
  }
});

test("sgemmBatched(…) matches per-batch references with default, padded and broadcast (0) strides", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  const [batch, m, n, k] = [5, 9, 11, 6];
  const cases = [
    { strideA: m * k, strideB: k * n, strideC: m * n },
    { strideA: m * k + 3, strideB: k * n + 1, strideC: m * n + 2 },
    { strideA: m * k, strideB: 0, strideC: m * n }, // one B shared by every batch (a weight)
    { strideA: 0, strideB: k * n, strideC: m * n },
  ];
  for (const strides of cases) {
    for (const trans of [TRANS_CASES[0]!, TRANS_CASES[3]!, { transA: false, transB: true }]) {
      const a = randomArray(10, (batch - 1) * strides.strideA + m * k);
      const b = randomArray(11, (batch - 1) * strides.strideB + k * n);
      const c0 = randomArray(12, (batch - 1) * strides.strideC + m * n);
      const c = c0.slice();
      blas.sgemmBatched(a, b, c, batch, m, n, k, { ...trans, ...strides, accumulate: true });
      for (let p = 0; p < batch; p++) {
        const sub = (x: Float32Array, s: number, len: number) => x.subarray(p * s, p * s + len);
        const ref = reference(sub(a, strides.strideA, m * k), sub(b, strides.strideB, k * n), sub(c0, strides.strideC, m * n), { m, n, k, ...trans });
        assertClose(sub(c, strides.strideC, m * n), ref, `batch ${p} ${JSON.stringify({ ...strides, ...trans })}`);
      }
      // Padding between padded C matrices is untouched.
      if (strides.strideC > m * n) assert.equal(c[m * n], c0[m * n]);
    }
  }
});

test("sgemm(…) works on views at non-zero offsets of one shared buffer and of a WebAssembly.Memory, touching only c", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  const [m, n, k] = [7, 13, 5];
  const bytes = (m * k + k * n + m * n + 64) * 4;
  const memory = new WebAssembly.Memory({ initial: 1 });
  for (const buffer of [new ArrayBuffer(bytes), memory.buffer]) {
    const all = new Float32Array(buffer, 0, bytes / 4);
    all.set(randomArray(20, all.length));
    const before = all.slice();
    const a = new Float32Array(buffer, 4 * 3, m * k);
    const b = new Float32Array(buffer, 4 * (3 + m * k + 5), k * n);
    const cOffset = 3 + m * k + 5 + k * n + 7;
    const c = new Float32Array(buffer, 4 * cOffset, m * n);
    blas.sgemm(a, b, c, m, n, k);
    assertClose(c, reference(a, b, undefined, { m, n, k }), "c");
    for (let i = 0; i < all.length; i++) {
      if (i < cOffset || i >= cOffset + m * n) assert.equal(all[i], before[i], `element ${i} outside c changed`);
    }
  }
});

test("sgemm(…) on tfjs-wasm tensor views writes tf.matMul's result in place", async (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  assert.ok(await tf.setBackend("wasm"));
  const backend = tf.backend() as unknown as {
    wasm: { HEAPF32: Float32Array };
    dataIdMap: { get(id: object): { memoryOffset: number } };
  };
  const [m, n, k] = [33, 20, 47];
  const a = tf.tensor2d(randomArray(30, m * k), [m, k]);
  const b = tf.tensor2d(randomArray(31, n * k), [n, k]);
  const c = tf.zeros([m, n]);
  // Views are taken after every allocation: growing the heap replaces its ArrayBuffer.
  const view = (x: tf.Tensor) => new Float32Array(backend.wasm.HEAPF32.buffer, backend.dataIdMap.get(x.dataId).memoryOffset, x.size);
  blas.sgemm(view(a), view(b), view(c), m, n, k, { transB: true });
  const expected = tf.matMul(a, b, false, true);
  const ref = reference(a.dataSync(), b.dataSync(), undefined, { m, n, k, transB: true });
  assertClose(c.dataSync() as Float32Array, ref, "in-place c");
  assertClose(expected.dataSync() as Float32Array, ref, "tf.matMul");
  tf.dispose([a, b, c, expected]);
});

test("sgemm(…) rejects sizes its views cannot hold, bad dimensions and overlapping output, in the wrapper and in C", (t) => {
  const blas = blasOrSkip(t);
  if (!blas || !loaded.ok) return;
  const raw = createRequire(`${process.cwd()}/`)(loaded.config.addonPath) as {
    sgemm(...args: unknown[]): void;
    sgemmBatched(...args: unknown[]): void;
  };
  const a = new Float32Array(6);
  const b = new Float32Array(6);
  const guard = new Float32Array(16).fill(7);
  const c = guard.subarray(4, 8); // 4 elements, guards on both sides
  assert.throws(() => blas.sgemm(a, b, c, 3, 2, 2), /c: .*needs 6 float32 elements but the view holds 4/);
  assert.throws(() => blas.sgemm(a, b, c, 2, 2, 4), RangeError); // a needs 8
  assert.throws(() => blas.sgemm(a, b, c, 2, 2, 0), /k: expected an integer/);
  assert.throws(() => blas.sgemm(a, b, c, 1.5, 2, 2), /m: expected an integer/);
  assert.throws(() => blas.sgemmBatched(a, b, c, 2, 1, 2, 1, { strideC: 1 }), /strideC/);
  assert.throws(() => blas.sgemm(a, b, new Int32Array(4) as unknown as Float32Array, 2, 2, 1), TypeError);
  // The same calls straight into the addon, skipping the wrapper's checks.
  assert.throws(() => raw.sgemm(a, b, c, 3, 2, 2, 0), RangeError);
  assert.throws(() => raw.sgemm(a, b, c, 2, 2, 2, 8), /flags/);
  assert.throws(() => raw.sgemmBatched(a, b, c, 2, 2, 2, 1, 0, 1, 2, 2, 4), /c: needs 8/);
  assert.throws(() => raw.sgemmBatched(a, b, c, 2, 2, 2, 1, 0, 1, 2, 2, 1), /strideC/);
  assert.throws(() => raw.sgemm(a, b, c, 2, 2, Number.NaN, 0), /k: expected an integer/);
  const shared = new Float32Array(16);
  assert.throws(() => blas.sgemm(shared.subarray(0, 4), b, shared.subarray(2, 6), 2, 2, 2), /overlaps an input/);
  const buffer = new ArrayBuffer(64);
  const detached = new Float32Array(buffer, 0, 4);
  structuredClone(buffer, { transfer: [buffer] });
  assert.throws(() => raw.sgemm(a, b, detached, 2, 2, 1, 0), RangeError);
  assert.deepEqual([...guard], new Array(16).fill(7), "no rejected call wrote anything");
});

test("setThreads(n) changes OpenBLAS's thread count and keeps results", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  const before = blas.getConfig().threads;
  const [m, n, k] = [96, 80, 64];
  const a = randomArray(40, m * k);
  const b = randomArray(41, k * n);
  const ref = reference(a, b, undefined, { m, n, k });
  try {
    for (const threads of [1, 2]) {
      blas.setThreads(threads);
      assert.equal(blas.getConfig().threads, threads);
      const c = new Float32Array(m * n);
      blas.sgemm(a, b, c, m, n, k);
      assertClose(c, ref, `${threads} threads`);
    }
    assert.throws(() => blas.setThreads(0), /threads/);
  } finally {
    blas.setThreads(before);
  }
});

/** float32 storage of probabilities and of a loss of a few nats, against float64 references. */
const XENT_TOL = 1e-6;

test("softmaxCrossEntropy(…) and its gradient match a float64 reference; bad targets and sizes throw before writing", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  assert.equal(blas.hasCrossEntropy, true, "a freshly built addon has the cross-entropy entries");
  const [rows, vocab] = [7, 13];
  const logits = randomArray(60, rows * vocab).map((x) => 4 * x);
  const targets = Int32Array.from({ length: rows }, (_, r) => (r * 5) % vocab);
  const probs = new Float32Array(rows * vocab);
  const loss = blas.softmaxCrossEntropy(logits, targets, probs, rows, vocab);
  let want = 0;
  for (let r = 0; r < rows; r++) {
    const row = Array.from(logits.subarray(r * vocab, (r + 1) * vocab));
    const lse = Math.log(row.reduce((s, z) => s + Math.exp(z), 0));
    want += lse - row[targets[r]!]!;
    row.forEach((z, v) => assert.ok(Math.abs(probs[r * vocab + v]! - Math.exp(z - lse)) < XENT_TOL, `p[${r},${v}]`));
  }
  assert.ok(Math.abs(loss - want / rows) < XENT_TOL * (want / rows), `${loss} vs ${want / rows}`);
  const grad = new Float32Array(rows * vocab);
  blas.softmaxCrossEntropyGrad(probs, targets, grad, rows, vocab, 0.5);
  grad.forEach((g, i) => {
    const hot = targets[Math.floor(i / vocab)] === i % vocab ? 1 : 0;
    assert.ok(Math.abs(g - (probs[i]! - hot) * 0.5) < XENT_TOL, `grad ${i}`);
  });
  const guard = new Float32Array(rows * vocab).fill(7);
  assert.throws(() => blas.softmaxCrossEntropy(logits, Int32Array.from(targets, (y, r) => (r === 3 ? vocab : y)), guard, rows, vocab), /id 13 of row 3/);
  assert.throws(() => blas.softmaxCrossEntropy(logits, targets, guard.subarray(1), rows, vocab), RangeError);
  assert.throws(() => blas.softmaxCrossEntropy(logits, targets.subarray(1), guard, rows, vocab), /targets/);
  assert.throws(() => blas.softmaxCrossEntropyGrad(probs, targets, guard, rows, vocab, Number.NaN), /scale/);
  assert.deepEqual([...guard], new Array(rows * vocab).fill(7), "no rejected call wrote anything");
});

/** float32 results of O(1) values against float64 references (a few roundings per element). */
const RMS_TOL = 1e-5;
/** Gradients: float32 rinv cubed and d-term sums against float64 central differences (error ≲ d·2⁻²⁴·|terms|). */
const RMS_GRAD_TOL = 1e-4;

test("rmsNorm(…) matches a float64 reference and rmsNormGrad(…) matches its float64 finite differences", (t) => {
  const blas = blasOrSkip(t);
  if (!blas) return;
  assert.equal(blas.hasRmsNorm, true, "a freshly built addon has the RMSNorm entries");
  const [rows, d, eps] = [5, 12, 1e-6];
  const x = randomArray(70, rows * d);
  const gain = randomArray(71, d).map((g) => 1 + 0.3 * g);
  const dy = randomArray(72, rows * d);
  /** Float64 RMSNorm of a float64 input, and Σ y·dy (the objective whose gradient rmsNormGrad gives). */
  const forward64 = (xs: Float64Array, gs: Float64Array): { y: Float64Array; objective: number } => {
    const y = new Float64Array(rows * d);
    let objective = 0;
    for (let r = 0; r < rows; r++) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += xs[r * d + j]! ** 2;
      const rinv = 1 / Math.sqrt(ss / d + eps);
      for (let j = 0; j < d; j++) {
        y[r * d + j] = xs[r * d + j]! * rinv * gs[j]!;
        objective += y[r * d + j]! * dy[r * d + j]!;
      }
    }
    return { y, objective };
  };
  const y = new Float32Array(rows * d);
  const rinv = new Float32Array(rows);
  blas.rmsNorm(x, gain, y, rinv, rows, d, eps);
  const want = forward64(Float64Array.from(x), Float64Array.from(gain)).y;
  y.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < RMS_TOL * (1 + Math.abs(want[i]!)), `y[${i}]: ${v} vs ${want[i]}`));
  const dx = new Float32Array(rows * d);
  const dgain = new Float32Array(d);
  blas.rmsNormGrad(x, gain, rinv, dy, dx, dgain, rows, d);
  // Central differences in float64, one coordinate at a time (h² truncation ≪ the tolerance).
  const h = 1e-6;
  const numeric = (which: "x" | "gain", i: number): number => {
    const xs = Float64Array.from(x);
    const gs = Float64Array.from(gain);
    const target = which === "x" ? xs : gs;
    target[i] = target[i]! + h;
    const up = forward64(xs, gs).objective;
    target[i] = target[i]! - 2 * h;
    return (up - forward64(xs, gs).objective) / (2 * h);
  };
  dx.forEach((v, i) => assert.ok(Math.abs(v - numeric("x", i)) < RMS_GRAD_TOL * (1 + Math.abs(v)), `dx[${i}]: ${v} vs ${numeric("x", i)}`));
  dgain.forEach((v, j) => assert.ok(Math.abs(v - numeric("gain", j)) < RMS_GRAD_TOL * (1 + Math.abs(v)), `dgain[${j}]: ${v} vs ${numeric("gain", j)}`));
  assert.throws(() => blas.rmsNorm(x, gain, y.subarray(1), rinv, rows, d, eps), RangeError);
  assert.throws(() => blas.rmsNorm(x, gain, y, rinv, rows, d, -1), /eps/);
  assert.throws(() => blas.rmsNormGrad(x, gain, rinv, dy, x, dgain, rows, d), /overlap/);
});
