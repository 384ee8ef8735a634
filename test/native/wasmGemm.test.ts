import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { ADDON_RELATIVE_PATH } from "../../lib/native/blas";
import { loadNativeGemm } from "../../lib/native/wasmGemm";
import { registerWasmKernels } from "../../lib/train/kernels/batchMatMul";
import { createRng } from "../../lib/util/random";

/** Unit roundoff of float32 doubled: a k-term float32 dot product errs by at most ≈ k·2⁻²⁴·Σ|aᵢbᵢ|. */
const F32_DOT_EPS = 2 ** -23;

const native = loadNativeGemm();

function randomTensor(seed: number, shape: number[]): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()), shape);
}

/** Float64 batched reference of matMul(a, b, transA, transB) for [batch?, r, c] operands (batch 1 broadcasts). */
function check(a: tf.Tensor, b: tf.Tensor, transA: boolean, transB: boolean, out: tf.Tensor): void {
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [m, k] = transA ? [ca, ra] : [ra, ca];
  const n = transB ? rb : cb;
  const batchA = a.size / (ra * ca);
  const batchB = b.size / (rb * cb);
  const batch = Math.max(batchA, batchB);
  const av = a.dataSync();
  const bv = b.dataSync();
  const cv = out.dataSync();
  assert.equal(cv.length, batch * m * n);
  for (let p = 0; p < batch; p++) {
    const a0 = batchA === 1 ? 0 : p * m * k;
    const b0 = batchB === 1 ? 0 : p * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let abs = 0;
        for (let l = 0; l < k; l++) {
          const x = av[a0 + (transA ? l * m + i : i * k + l)]!;
          const y = bv[b0 + (transB ? j * k + l : l * n + j)]!;
          sum += x * y;
          abs += Math.abs(x * y);
        }
        const got = cv[p * m * n + i * n + j]!;
        if (!(Math.abs(got - sum) <= k * F32_DOT_EPS * abs)) assert.fail(`[${p},${i},${j}]: ${got} vs ${sum}`);
      }
    }
  }
}

async function checkProducts(t: { skip(m: string): void }, batched: boolean): Promise<void> {
  if (!native.gemm) {
    if (!existsSync(ADDON_RELATIVE_PATH) || /^disabled by/.test(native.reason)) return t.skip(`native BLAS not built: ${native.reason}`);
    assert.fail(`the addon is built but does not load: ${native.reason}`);
  }
  assert.ok(await tf.setBackend("wasm"));
  registerWasmKernels(batched ? { gemm: native.gemm, gemmBatched: native.gemmBatched } : { gemm: native.gemm });
  const before = tf.memory().numTensors;
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[7, 5], [5, 13], false, false],
    [[5, 7], [5, 13], true, false],
    [[7, 5], [13, 5], false, true],
    [[5, 7], [13, 5], true, true],
    [[6, 33, 16], [6, 16, 40], false, false], // attention-like batch
    [[6, 33, 16], [6, 33, 16], false, true], // Q·Kᵀ
    [[6, 16, 33], [16, 40], true, false], // broadcast weight
    [[1, 64, 48], [3, 48, 24], false, false], // broadcast activation
  ];
  for (const [i, [sa, sb, ta, tb]] of cases.entries()) {
    const a = randomTensor(2 * i, sa);
    const b = randomTensor(2 * i + 1, sb);
    const out = tf.matMul(a, b, ta, tb);
    check(a, b, ta, tb, out);
    tf.dispose([a, b, out]);
  }
  // Gradients run the transposed products: d/da sum(a·b) = 1·bᵀ.
  const a = randomTensor(50, [9, 11]);
  const b = randomTensor(51, [11, 4]);
  const grad = tf.grad((x: tf.Tensor) => tf.matMul(x, b).sum())(a);
  const ones = tf.ones([9, 4]);
  check(ones, b, false, true, grad);
  tf.dispose([a, b, grad, ones]);
  assert.equal(tf.memory().numTensors, before);
}

test("nativeGemm(blas) behind registerWasmKernels gives tf.matMul's products for 2-D, transposed, batched and broadcast inputs", (t) =>
  checkProducts(t, false));

test("nativeGemmBatched(blas) runs batched and broadcast products in one call with the same results", (t) => checkProducts(t, true));
