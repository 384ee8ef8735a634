import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { CORETYPE_OVERRIDE_ENV, decideCoreType, type CoreTypeSource } from "./coretype";

/**
 * The optional OpenBLAS addon (native/blas.c, built by scripts/build-native.mjs): float32 GEMM on
 * Float32Array views at any byte offset of any buffer, including the tfjs wasm heap, so products
 * run on tensors in place. Row-major:
 *
 *   C[m,n] = alpha · op(A) · op(B) + (accumulate ? C : 0)
 *   A stored [m,k] ([k,m] when transA), B stored [k,n] ([n,k] when transB).
 *
 * `loadNativeBlas()` never throws: when the addon is missing, disabled or unsafe it says why, and
 * callers keep the wasm path. Sizes are checked here (RangeError naming the argument) and again in
 * C, so a native out-of-bounds access is impossible.
 */

/** Disables the addon (`0`/`off`/`false`) or points at another .node file. */
export const NATIVE_BLAS_ENV = "SCALING_NATIVE_BLAS";

/** Where scripts/build-native.mjs puts the addon, relative to the project root. */
export const ADDON_RELATIVE_PATH = join("native", "build", "Release", "scaling_blas.node");

/** Flag bits understood by the addon; must match the enum in native/blas.c. */
export const GEMM_FLAGS = { transA: 1, transB: 2, accumulate: 4 } as const;

export interface GemmOptions {
  /** Read A as stored [k, m] and use Aᵀ. Default false. */
  transA?: boolean;
  /** Read B as stored [n, k] and use Bᵀ. Default false. */
  transB?: boolean;
  /** Add into C (beta = 1), e.g. weight gradients over micro-batches. Default false (C is overwritten). */
  accumulate?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
}

export interface BatchedGemmOptions extends GemmOptions {
  /** Elements between consecutive A matrices; 0 reuses one A for every batch. Default m·k. */
  strideA?: number;
  /** Elements between consecutive B matrices; 0 reuses one B. Default k·n. */
  strideB?: number;
  /** Elements between consecutive C matrices; at least m·n. Default m·n. */
  strideC?: number;
}

/** What OpenBLAS reports about itself (live: `threads` follows setThreads). */
export const openBlasStateSchema = z
  .object({
    /** `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
    buildConfig: z.string(),
    /** `openblas_get_corename()`: the kernel set in use, e.g. "Zen", "Haswell", "SkylakeX". */
    coreName: z.string(),
    threads: z.number().int().positive(),
    processors: z.number().int().positive(),
    /** `openblas_get_parallel()`: 0 sequential, 1 pthreads, 2 OpenMP. */
    parallel: z.number().int().min(0).max(2),
    /** Bytes of OpenBLAS's integer (4, or 8 for an ILP64 build). */
    intBytes: z.number().int().positive(),
  })
  .strict();
export type OpenBlasState = z.infer<typeof openBlasStateSchema>;

/** How the addon was loaded, plus OpenBLAS's state right after loading. */
export const nativeBlasConfigSchema = z
  .object({
    addonPath: z.string(),
    threading: z.enum(["sequential", "pthread", "openmp"]),
    /** OPENBLAS_CORETYPE while loading; null let OpenBLAS detect the CPU. */
    coreTypeRequested: z.string().nullable(),
    coreTypeSource: z.enum(["override", "inherited", "auto-avx512", "autodetect"]),
    /** True when `coreName` is the requested type (false e.g. if OpenBLAS was already loaded). */
    coreTypeApplied: z.boolean(),
    hint: z.string().optional(),
    openblas: openBlasStateSchema,
  })
  .strict();
export type NativeBlasConfig = z.infer<typeof nativeBlasConfigSchema>;

export interface NativeBlas {
  /** C[m,n] = alpha·op(A)·op(B) (+ C when accumulate), in place in `c`. */
  sgemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, options?: GemmOptions): void;
  /** `batch` independent products of one shape, matrices `stride…` elements apart. */
  sgemmBatched(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    options?: BatchedGemmOptions,
  ): void;
  /**
   * Softmax cross-entropy of `rows` logit rows of width `vocab`: writes softmax into `probs` and
   * returns mean_r [logΣ exp z_r − z_r[targets_r]] (nats; float64 sums). Targets out of range throw.
   */
  softmaxCrossEntropy(logits: Float32Array, targets: Int32Array, probs: Float32Array, rows: number, vocab: number): number;
  /** grad = (probs − onehot(targets))·scale, the cross-entropy gradient for scale = dLoss/rows. */
  softmaxCrossEntropyGrad(probs: Float32Array, targets: Int32Array, grad: Float32Array, rows: number, vocab: number, scale: number): void;
  /** y = x·rinv·gain per row of [rows, d], rinv[r] = 1/sqrt(mean(x_r²) + eps) (float64 sums). */
  rmsNorm(x: Float32Array, gain: Float32Array, y: Float32Array, rinv: Float32Array, rows: number, d: number, eps: number): void;
  /** Gradients of rmsNorm: dx [rows, d] and dgain [d] (summed over rows in float64). */
  rmsNormGrad(x: Float32Array, gain: Float32Array, rinv: Float32Array, dy: Float32Array, dx: Float32Array, dgain: Float32Array, rows: number, d: number): void;
  /** False for an addon built before the cross-entropy entries (rebuild it to get them). */
  readonly hasCrossEntropy: boolean;
  /** False for an addon built before the RMSNorm entries. */
  readonly hasRmsNorm: boolean;
  /** OpenBLAS worker threads for later calls (process-wide). */
  setThreads(threads: number): void;
  getConfig(): OpenBlasState;
  /**
   * One core's float32 FMA peak in FLOP/s from a register-only AVX2 FMA loop of `iterations` rounds
   * (the ceiling benchmarks are a fraction of); undefined for an addon built without it, 0 without FMA.
   */
  fmaPeak(iterations: number): number | undefined;
}

export type NativeBlasLoad = { ok: true; blas: NativeBlas; config: NativeBlasConfig } | { ok: false; reason: string };

/** The raw addon exports (native/blas.c). */
interface Addon {
  sgemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, flags: number, alpha: number): void;
  sgemmBatched(
    a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number,
    flags: number, alpha: number, strideA: number, strideB: number, strideC: number,
  ): void;
  setThreads(n: number): void;
  getConfig(): unknown;
  fmaPeak?(iterations: number): number;
  rmsNorm?(x: Float32Array, gain: Float32Array, y: Float32Array, rinv: Float32Array, rows: number, d: number, eps: number): void;
  rmsNormGrad?(x: Float32Array, gain: Float32Array, rinv: Float32Array, dy: Float32Array, dx: Float32Array, dgain: Float32Array, rows: number, d: number): void;
  softmaxCrossEntropy?(logits: Float32Array, targets: Int32Array, probs: Float32Array, rows: number, vocab: number): number;
  softmaxCrossEntropyGrad?(probs: Float32Array, targets: Int32Array, grad: Float32Array, rows: number, vocab: number, scale: number): void;
}

function checkDim(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw new RangeError(`${name}: expected an integer in [${min}, 2^31-1], got ${value}`);
  }
}

function checkView(name: string, view: unknown, need: number, shape: string): void {
  if (!(view instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array`);
  if (view.length < need) {
    throw new RangeError(`${name}: ${shape} needs ${need} float32 elements but the view holds ${view.length}; pass a larger view or smaller sizes`);
  }
}

const flagsOf = (o: GemmOptions): number =>
  (o.transA ? GEMM_FLAGS.transA : 0) | (o.transB ? GEMM_FLAGS.transB : 0) | (o.accumulate ? GEMM_FLAGS.accumulate : 0);

function alphaOf(o: GemmOptions): number {
  const alpha = o.alpha ?? 1;
  if (!Number.isFinite(alpha)) throw new RangeError(`alpha: expected a finite number, got ${alpha}`);
  return alpha;
}

function checkXent(input: Float32Array, targets: Int32Array, output: Float32Array, rows: number, vocab: number): void {
  checkDim("rows", rows);
  checkDim("vocab", vocab);
  checkView("input", input, rows * vocab, `[rows=${rows}, vocab=${vocab}]`);
  checkView("output", output, rows * vocab, `[rows=${rows}, vocab=${vocab}]`);
  if (!(targets instanceof Int32Array) || targets.length < rows) throw new RangeError(`targets: expected an Int32Array of at least ${rows} ids`);
}

function checkRmsNorm(matrices: Record<string, Float32Array>, vectors: Record<string, Float32Array>, rinv: Float32Array, rows: number, d: number): void {
  checkDim("rows", rows);
  checkDim("d", d);
  for (const [name, view] of Object.entries(matrices)) checkView(name, view, rows * d, `[rows=${rows}, d=${d}]`);
  for (const [name, view] of Object.entries(vectors)) checkView(name, view, d, `[d=${d}]`);
  checkView("rinv", rinv, rows, `[rows=${rows}]`);
}

/** An addon built before the cross-entropy entries existed says so instead of failing obscurely. */
function addonXent(addon: Addon): Addon {
  if (!addon.softmaxCrossEntropy || !addon.softmaxCrossEntropyGrad) throw new Error("the native addon predates softmaxCrossEntropy: rebuild it with node scripts/build-native.mjs");
  return addon;
}

/** The typed, checked wrapper over the raw addon. */
function wrap(addon: Addon): NativeBlas {
  return {
    sgemm(a, b, c, m, n, k, options = {}) {
      checkDim("m", m);
      checkDim("n", n);
      checkDim("k", k);
      checkView("a", a, m * k, options.transA ? `[k=${k}, m=${m}]` : `[m=${m}, k=${k}]`);
      checkView("b", b, k * n, options.transB ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
      checkView("c", c, m * n, `[m=${m}, n=${n}]`);
      addon.sgemm(a, b, c, m, n, k, flagsOf(options), alphaOf(options));
    },
    sgemmBatched(a, b, c, batch, m, n, k, options = {}) {
      checkDim("batch", batch);
      checkDim("m", m);
      checkDim("n", n);
      checkDim("k", k);
      const strideA = options.strideA ?? m * k;
      const strideB = options.strideB ?? k * n;
      const strideC = options.strideC ?? m * n;
      checkDim("strideA", strideA, 0);
      checkDim("strideB", strideB, 0);
      checkDim("strideC", strideC, batch > 1 ? m * n : 0);
      checkView("a", a, (batch - 1) * strideA + m * k, `${batch} × [${m}·${k}] at stride ${strideA}`);
      checkView("b", b, (batch - 1) * strideB + k * n, `${batch} × [${k}·${n}] at stride ${strideB}`);
      checkView("c", c, (batch - 1) * strideC + m * n, `${batch} × [${m}·${n}] at stride ${strideC}`);
      addon.sgemmBatched(a, b, c, batch, m, n, k, flagsOf(options), alphaOf(options), strideA, strideB, strideC);
    },
    hasCrossEntropy: typeof addon.softmaxCrossEntropy === "function" && typeof addon.softmaxCrossEntropyGrad === "function",
    hasRmsNorm: typeof addon.rmsNorm === "function" && typeof addon.rmsNormGrad === "function",
    rmsNorm(x, gain, y, rinv, rows, d, eps) {
      checkRmsNorm({ x, y }, { gain }, rinv, rows, d);
      if (!(eps >= 0 && Number.isFinite(eps))) throw new RangeError(`eps: expected a finite number >= 0, got ${eps}`);
      if (!addon.rmsNorm) throw new Error("the native addon predates rmsNorm: rebuild it with node scripts/build-native.mjs");
      addon.rmsNorm(x, gain, y, rinv, rows, d, eps);
    },
    rmsNormGrad(x, gain, rinv, dy, dx, dgain, rows, d) {
      checkRmsNorm({ x, dy, dx }, { gain, dgain }, rinv, rows, d);
      if (!addon.rmsNormGrad) throw new Error("the native addon predates rmsNormGrad: rebuild it with node scripts/build-native.mjs");
      addon.rmsNormGrad(x, gain, rinv, dy, dx, dgain, rows, d);
    },
    softmaxCrossEntropy(logits, targets, probs, rows, vocab) {
      checkXent(logits, targets, probs, rows, vocab);
      return addonXent(addon).softmaxCrossEntropy!(logits, targets, probs, rows, vocab);
    },
    softmaxCrossEntropyGrad(probs, targets, grad, rows, vocab, scale) {
      checkXent(probs, targets, grad, rows, vocab);
      if (!Number.isFinite(scale)) throw new RangeError(`scale: expected a finite number, got ${scale}`);
      addonXent(addon).softmaxCrossEntropyGrad!(probs, targets, grad, rows, vocab, scale);
    },
    setThreads(threads) {
      checkDim("threads", threads);
      addon.setThreads(threads);
    },
    getConfig: () => openBlasStateSchema.parse(addon.getConfig()),
    fmaPeak(iterations) {
      checkDim("iterations", iterations);
      return addon.fmaPeak?.(iterations);
    },
  };
}

/** Project root candidates: up from this file when `__dirname` exists (CJS, tslab), then up from cwd. */
function findAddon(): string | undefined {
  const starts = [typeof __dirname === "string" ? __dirname : undefined, process.cwd()];
  for (const start of starts) {
    if (!start) continue;
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, ADDON_RELATIVE_PATH);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

function readCpuFlags(): Set<string> | undefined {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => /^flags\s*:/.test(l));
    return line ? new Set(line.split(":")[1]!.trim().split(/\s+/)) : undefined;
  } catch {
    return undefined;
  }
}

const THREADING = ["sequential", "pthread", "openmp"] as const;
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

function load(): NativeBlasLoad {
  const setting = process.env[NATIVE_BLAS_ENV]?.trim() ?? "";
  if (/^(0|off|false|no)$/i.test(setting)) return { ok: false, reason: `disabled by ${NATIVE_BLAS_ENV}=${setting}` };
  const addonPath = setting !== "" ? resolve(setting) : findAddon();
  if (!addonPath || !existsSync(addonPath)) {
    return { ok: false, reason: `${addonPath ?? ADDON_RELATIVE_PATH} not found (run node scripts/build-native.mjs)` };
  }
  const decision = decideCoreType({
    override: process.env[CORETYPE_OVERRIDE_ENV],
    inherited: process.env.OPENBLAS_CORETYPE,
    cpuFlags: readCpuFlags(),
  });
  if (!decision.ok) return { ok: false, reason: decision.reason };
  // OpenBLAS reads OPENBLAS_CORETYPE once, while the library loads: set it around the require only,
  // then restore, so child processes see the environment they were given.
  const saved = process.env.OPENBLAS_CORETYPE;
  if (decision.coreType === null) delete process.env.OPENBLAS_CORETYPE;
  else process.env.OPENBLAS_CORETYPE = decision.coreType;
  let addon: Addon;
  try {
    addon = createRequire(join(process.cwd(), "/"))(addonPath) as Addon;
  } catch (e) {
    return { ok: false, reason: `${addonPath} does not load: ${firstLine(e)} (rebuild: node scripts/build-native.mjs)` };
  } finally {
    if (saved === undefined) delete process.env.OPENBLAS_CORETYPE;
    else process.env.OPENBLAS_CORETYPE = saved;
  }
  const blas = wrap(addon);
  const openblas = blas.getConfig();
  const config = nativeBlasConfigSchema.parse({
    addonPath,
    threading: THREADING[openblas.parallel],
    coreTypeRequested: decision.coreType,
    coreTypeSource: decision.source satisfies CoreTypeSource,
    coreTypeApplied: decision.coreType === null || openblas.coreName.toLowerCase() === decision.coreType.toLowerCase(),
    ...(decision.hint ? { hint: decision.hint } : {}),
    openblas,
  });
  return { ok: true, blas, config: Object.freeze(config) };
}

// A native library loads once per process, so its outcome is cached for the process too.
let cached: NativeBlasLoad | undefined;

/** Load (once) and describe the native BLAS; never throws. */
export function loadNativeBlas(): NativeBlasLoad {
  if (!cached) {
    try {
      cached = load();
    } catch (e) {
      cached = { ok: false, reason: `native BLAS failed to initialise: ${firstLine(e)}` };
    }
  }
  return cached;
}
