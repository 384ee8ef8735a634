import { z } from "zod";
import { modelShapeSchema } from "../model/shape";

/**
 * The one typed config of a training run (the entry point `train(config)`), and the record it
 * returns. The resolved config — every default filled in — is what gets hashed into a run key.
 */

const positive = z.number().positive().finite();

/** Warmup length: in optimizer steps or in tokens (one of the two). */
export const warmupSchema = z.union([
  z.object({ steps: z.number().int().nonnegative() }).strict(),
  z.object({ tokens: z.number().nonnegative().finite() }).strict(),
  /** fraction of the run's total steps; the default, since the paper's 2000 steps exceed a short run */
  z.object({ fraction: z.number().min(0).max(1) }).strict(),
]);

export const scheduleSchema = z.discriminatedUnion("kind", [
  /** DeepSeek §2.3: warmup, peak until 80% of tokens, 31.6% of peak until 90%, then 10%. */
  z.object({ kind: z.literal("multistep"), warmup: warmupSchema, stages: z.array(z.tuple([z.number().min(0).max(1), z.number().min(0)])).optional() }).strict(),
  /** Warmup then cosine to `finalFraction` of peak. */
  z.object({ kind: z.literal("cosine"), warmup: warmupSchema, finalFraction: z.number().min(0).max(1).default(0.1) }).strict(),
  /** Warmup, stable at peak, then linear decay over the last `decayFraction` of steps to `finalFraction`. */
  z.object({ kind: z.literal("wsd"), warmup: warmupSchema, decayFraction: z.number().min(0).max(1).default(0.1), finalFraction: z.number().min(0).max(1).default(0) }).strict(),
  /** Warmup then constant peak. */
  z.object({ kind: z.literal("constant"), warmup: warmupSchema }).strict(),
]);

export const optimizerSchema = z
  .object({
    /** AdamW β₁ (paper: 0.9). */
    beta1: z.number().min(0).lt(1).default(0.9),
    /** AdamW β₂ (paper: 0.95). */
    beta2: z.number().min(0).lt(1).default(0.95),
    /** Adam ε (not stated in the paper; 1e-8 is the common default). */
    epsilon: positive.default(1e-8),
    /** Decoupled weight decay, applied to matrices only (paper: 0.1). */
    weightDecay: z.number().min(0).finite().default(0.1),
    /** Global gradient-norm clip (paper: 1.0); 0 disables clipping. */
    clipNorm: z.number().min(0).finite().default(1),
  })
  .strict();

export const backendNameSchema = z.enum(["auto", "tensorflow", "wasm", "cpu"]);
export type BackendName = z.infer<typeof backendNameSchema>;

/**
 * The 2-D product behind the wasm kernels: `native` is the OpenBLAS addon (lib/native), `wasm` is
 * XNNPACK, `auto` uses the addon when it loads and else wasm with a one-line notice.
 */
export const blasNameSchema = z.enum(["auto", "native", "wasm"]);
export type BlasName = z.infer<typeof blasNameSchema>;

export const trainConfigSchema = z
  .object({
    /** The model; `ffn` must be an integer here. */
    shape: modelShapeSchema,
    /** D: training tokens. */
    tokens: positive,
    /** B: tokens per optimizer step; a multiple of shape.seq. */
    batchTokens: positive,
    /** Peak learning rate η. */
    learningRate: positive,
    schedule: scheduleSchema.default({ kind: "multistep", warmup: { fraction: 0.05 } }),
    optimizer: optimizerSchema.default({}),
    /**
     * Init: normal(0, std) for every matrix, RMSNorm gains 1 (paper §2: std 0.006, default).
     * `scaleWithWidth` (default false) uses std·sqrt(4096/dModel) instead: 0.006 was set at the 7B's
     * width 4096, and the same ≈0.38/√d rule gives tiny models sensible scales (d 64 → 0.048). See lib/train/init.
     */
    init: z.object({ std: positive.default(0.006), scaleWithWidth: z.boolean().default(false) }).strict().default({}),
    /** `en-prose`, `ts-code`, or a path to a folder of .txt, a .jsonl with a `text` field, or a .bin of token ids. */
    corpus: z.string().min(1).default("en-prose"),
    backend: backendNameSchema.default("auto"),
    /**
     * Product behind the wasm backend: auto (default when absent) | native | wasm. Optional without
     * a schema default so existing resolved configs, and the run keys hashed from them, stay the same.
     */
    blas: blasNameSchema.optional(),
    /**
     * OpenBLAS threads of this run (process-wide). Default when absent: `OPENBLAS_NUM_THREADS` if
     * set, else 1 (measured fastest per machine for the engine's shapes; see lib/train/blasSetup).
     */
    blasThreads: z.number().int().positive().max(256).optional(),
    seed: z.number().int().nonnegative().default(0),
    /** Validation: a fixed, seeded set of held-out windows, evaluated at `points` places along the run and at the end. */
    eval: z.object({ windows: z.number().int().positive().default(64), points: z.number().int().nonnegative().default(4) }).strict().default({}),
    /** Largest micro-batch in tokens (gradient accumulation above it); default: the whole batch when it fits. */
    microBatchTokens: positive.optional(),
    /** Stop as diverged when the loss exceeds `divergenceFactor` × its starting value, or is non-finite. */
    divergenceFactor: positive.default(3),
  })
  .strict();

export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainConfig = Readonly<z.infer<typeof trainConfigSchema>>;

export const runStatusSchema = z.enum(["ok", "diverged", "failed"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Which product a run used and, for OpenBLAS, its kernels and threads. */
export const blasUsedSchema = z
  .object({
    /** `native` (OpenBLAS addon) or `wasm` (XNNPACK). */
    path: z.enum(["native", "wasm"]),
    /** OpenBLAS kernel set, e.g. "Zen", "Haswell". */
    coreName: z.string().optional(),
    /** OpenBLAS threads during the run. */
    threads: z.number().int().positive().optional(),
    /** OpenBLAS build: sequential, pthread or openmp. */
    threading: z.string().optional(),
    /** Why `auto` fell back to wasm. */
    reason: z.string().optional(),
  })
  .strict();
export type BlasUsed = z.infer<typeof blasUsedSchema>;

/** What `train(config)` returns, and what the results store keeps per run. */
export const runResultSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** The fully resolved config. */
    config: trainConfigSchema,
    status: runStatusSchema,
    /** Why a run is not `ok`. */
    error: z.string().optional(),
    /** M, FLOPs per token from the exact shapes. */
    modelScale: z.number(),
    /** C = M·D actually trained (steps × batchTokens × M). */
    compute: z.number(),
    /** Tokens actually trained (whole steps). */
    tokens: z.number(),
    steps: z.number().int(),
    /** Final training loss (nats per token, mean of the last steps). */
    loss: z.number().nullable(),
    /** Final validation bits per byte. */
    bitsPerByte: z.number().nullable(),
    curve: z.array(z.object({ step: z.number().int(), tokens: z.number(), loss: z.number(), learningRate: z.number() }).strict()),
    evals: z.array(z.object({ step: z.number().int(), tokens: z.number(), bitsPerByte: z.number() }).strict()),
    /** Wall seconds from the call to the result; for a run trained in a group, its share (group wall / group size). */
    wallSeconds: z.number(),
    /** Trained tokens per second of training time; for a run in a group, the group's rate (all its runs' tokens). */
    tokensPerSecond: z.number(),
    backend: z
      .object({
        /** tfjs backend, `+openblas` when the native product ran behind the wasm kernels. */
        name: z.string(),
        skipped: z.record(z.string()),
        /** The product in use; absent in records written before it was recorded. */
        blas: blasUsedSchema.optional(),
      })
      .strict(),
    seed: z.number().int(),
    /** Runs trained in lockstep with this one (lib/train/train's trainGroup), when more than one; provenance only. */
    groupSize: z.number().int().min(2).optional(),
  })
  .strict();

export type RunResult = z.infer<typeof runResultSchema>;
