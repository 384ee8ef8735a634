import type { BlasName, BlasUsed } from "./config";
import type { FastKernelOptions } from "./kernels/batchMatMul";
import { loadNativeGemm, type NativeGemmLoad } from "../native/wasmGemm";
import { ConfigError } from "../util/errors";

/**
 * Which 2-D product runs behind the wasm kernels, decided once per run at the entry point:
 * `native` (OpenBLAS addon) or `wasm` (XNNPACK). `auto` takes the addon when it loads, else wasm
 * with a one-line notice on stderr (once per process). Also sets OpenBLAS's thread count.
 */

/**
 * OpenBLAS threads when neither `blasThreads` nor OPENBLAS_NUM_THREADS is set. Measured on the
 * 2-core machine (scripts/bench-train.ts --concurrent): 1 thread per run is as fast or faster for
 * the tiny sweep shapes and lets two runs share the machine; see native/README.md.
 */
export const DEFAULT_BLAS_THREADS = 1;

export interface BlasSetup {
  /** Kernel hooks for `registerWasmKernels` (empty: XNNPACK). */
  kernels: FastKernelOptions;
  /** Suffix of the backend name when the wasm backend runs (`+openblas`), else "". */
  suffix: string;
  used: BlasUsed;
}

/** The stderr line `auto` prints when the addon is unavailable. */
export const fallbackNotice = (reason: string): string =>
  `note: native OpenBLAS unavailable (${reason}); training on the slower wasm product (set blas: "wasm" to silence)`;

// One notice per process, not per run (a sweep worker or a notebook trains many runs).
let noticed = false;

function noticeOnce(reason: string): void {
  if (noticed) return;
  noticed = true;
  process.stderr.write(fallbackNotice(reason) + "\n");
}

/** Threads this run should use: the config's, else OPENBLAS_NUM_THREADS (OpenBLAS read it at load), else the default. */
export function blasThreadsFor(configured: number | undefined, env: string | undefined): number | undefined {
  if (configured !== undefined) return configured;
  if (env !== undefined && /^\s*\d+\s*$/.test(env) && Number(env) > 0) return undefined;
  return DEFAULT_BLAS_THREADS;
}

/** Every hook the loaded addon offers (an older build may lack the fused loops). */
export function nativeKernels(native: NativeGemmLoad): FastKernelOptions {
  if (!native.gemm) return {};
  return {
    gemm: native.gemm,
    gemmBatched: native.gemmBatched,
    ...(native.crossEntropy ? { crossEntropy: native.crossEntropy } : {}),
    ...(native.rmsNorm ? { rmsNorm: native.rmsNorm } : {}),
  };
}

/** Resolve `blas` (default auto) into kernel hooks; throws ConfigError naming `blas` when `native` is impossible. */
export function setupBlas(name: BlasName | undefined, threads: number | undefined): BlasSetup {
  const choice = name ?? "auto";
  if (choice === "wasm") return { kernels: {}, suffix: "", used: { path: "wasm" } };
  const native = loadNativeGemm();
  if (!native.gemm) {
    if (choice === "native") {
      throw new ConfigError(`the native OpenBLAS addon is unavailable (${native.reason})`, "blas", "build it with node scripts/build-native.mjs, or use blas wasm");
    }
    noticeOnce(native.reason);
    return { kernels: {}, suffix: "", used: { path: "wasm", reason: native.reason } };
  }
  const want = blasThreadsFor(threads, process.env.OPENBLAS_NUM_THREADS);
  if (want !== undefined) native.blas.setThreads(want);
  const state = native.blas.getConfig();
  return {
    kernels: nativeKernels(native),
    suffix: "+openblas",
    used: { path: "native", coreName: state.coreName, threads: state.threads, threading: native.config.threading },
  };
}
