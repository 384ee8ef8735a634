import * as tf from "@tensorflow/tfjs";
import { heapOffset, type HeapBackend } from "./heapOps";

/**
 * RMSNorm as two wasm-heap kernels in native code, one pass over the rows each way, replacing the
 * ~16 tfjs kernels (square, mean, add, rsqrt, two multiplies, and their gradients) of the generic
 * formulation in ../blocks, which the tiny sweep shape's profile showed among the largest costs
 * after the products (a small model's activations are many rows of a narrow width):
 *
 *   forward:  y = x · rinv · gain,  rinv_r = 1/sqrt(mean(x_r²) + ε)   (rinv kept for backward)
 *   backward: dx = rinv·gain·dy − x·rinv³/d·Σ_j dy_j gain_j x_j,  dgain = Σ_rows dy·x·rinv
 *
 * Sums are float64. Without the native addon the kernels are not registered and ../blocks runs the
 * generic formulation. With a runs axis (x [R, rows, d], gain [R, d]) each run's slice gets its
 * own gain, in one kernel call.
 */

export const RMS_NORM = "ScalingRmsNorm";
export const RMS_NORM_GRAD = "ScalingRmsNormGrad";

/** The two loops (lib/native's addon carries them). */
export interface RmsNormImpl {
  rmsNorm(x: Float32Array, gain: Float32Array, y: Float32Array, rinv: Float32Array, rows: number, d: number, eps: number): void;
  rmsNormGrad(x: Float32Array, gain: Float32Array, rinv: Float32Array, dy: Float32Array, dx: Float32Array, dgain: Float32Array, rows: number, d: number): void;
}

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** Runs R (1 without a runs axis), rows per run and width of an input x [(R,) rows, d]. */
function dimsOf(x: tf.TensorInfo): { runs: number; rows: number; d: number } {
  const [rows, d] = x.shape.slice(-2) as [number, number];
  return { runs: x.shape.length === 3 ? x.shape[0]! : 1, rows, d };
}

/** Run r's slice of a tensor holding `per` floats per run. */
const slice = (backend: HeapBackend, t: tf.TensorInfo, r: number, per: number): Float32Array =>
  new Float32Array(backend.wasm.HEAPF32.buffer, heapOffset(backend, t) + r * per * 4, per);

/** inputs x [(R,) rows, d], gain [(R,) d]; attrs epsilon → [y like x, rinv [(R·) rows]]. */
function forward(impl: RmsNormImpl): (args: KernelArgs) => tf.TensorInfo[] {
  return (args) => {
    const { x, gain } = args.inputs as { x: tf.TensorInfo; gain: tf.TensorInfo };
    const backend = args.backend as HeapBackend;
    const { runs, rows, d } = dimsOf(x);
    const y = backend.makeOutput([...x.shape], "float32");
    const rinv = backend.makeOutput([runs * rows], "float32");
    // Views after the allocations above: an allocation may replace the heap buffer.
    for (let r = 0; r < runs; r++) {
      impl.rmsNorm(slice(backend, x, r, rows * d), slice(backend, gain, r, d), slice(backend, y, r, rows * d), slice(backend, rinv, r, rows), rows, d, Number(args.attrs?.epsilon));
    }
    return [y, rinv];
  };
}

/** inputs x, gain, rinv, dy → [dx like x, dgain like gain]. */
function backward(impl: RmsNormImpl): (args: KernelArgs) => tf.TensorInfo[] {
  return (args) => {
    const { x, gain, rinv, dy } = args.inputs as Record<"x" | "gain" | "rinv" | "dy", tf.TensorInfo>;
    const backend = args.backend as HeapBackend;
    const { runs, rows, d } = dimsOf(x);
    const dx = backend.makeOutput([...x.shape], "float32");
    const dgain = backend.makeOutput([...gain.shape], "float32");
    for (let r = 0; r < runs; r++) {
      const at = (t: tf.TensorInfo, per: number): Float32Array => slice(backend, t, r, per);
      impl.rmsNormGrad(at(x, rows * d), at(gain, d), at(rinv, rows), at(dy, rows * d), at(dx, rows * d), at(dgain, d), rows, d);
    }
    return [dx, dgain];
  };
}

/** Register both kernels for the wasm backend with `impl`, or remove them when undefined. Idempotent. */
export function registerRmsNormKernels(impl: RmsNormImpl | undefined): void {
  for (const name of [RMS_NORM, RMS_NORM_GRAD]) if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
  if (!impl) return;
  tf.registerKernel({ kernelName: RMS_NORM, backendName: "wasm", kernelFunc: forward(impl) as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: RMS_NORM_GRAD, backendName: "wasm", kernelFunc: backward(impl) as unknown as tf.KernelFunc });
}

/** True when the active backend has the fused kernels. */
export const hasFusedRmsNorm = (): boolean => tf.getBackend() === "wasm" && tf.getKernel(RMS_NORM, "wasm") !== undefined;

/** RMSNorm with the fused kernels.  x [(R,) rows, d], gain [(R,) d] → like x. */
export function fusedRmsNorm<T extends tf.Tensor2D | tf.Tensor3D>(x: T, gain: tf.Tensor1D | tf.Tensor2D, epsilon: number): T {
  const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): tf.Tensor[] =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as unknown as tf.Tensor[];
  const norm = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, g, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, rinv] = run(RMS_NORM, { x: xi, gain: g }, { epsilon }) as [tf.Tensor, tf.Tensor];
    save([xi, g, rinv]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sr] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return run(RMS_NORM_GRAD, { x: sx, gain: sg, rinv: sr, dy });
      },
    };
  });
  return norm(x, gain) as T;
}
