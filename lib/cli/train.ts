import { train, type TrainProgress } from "../train/train";
import type { RunResult, TrainConfigInput } from "../train/config";
import { swigluWidth } from "../model/shape";
import { ConfigError, ScalingError } from "../util/errors";
import { helpText, optionalNumber, optionalString, parseArgs, requireNumber, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling train`: one training run from flags; prints a summary or, with --json, one result object. */
export const spec: CommandSpec = {
  usage: "scaling train",
  summary: "Train one decoder (pre-norm RMSNorm, SwiGLU, RoPE, GQA) on a corpus and report validation bits per byte.",
  flags: {
    layers: { type: "number", value: "L", help: "n_layer, transformer blocks (required)" },
    "d-model": { type: "number", value: "D", help: "d_model, residual width (required)" },
    heads: { type: "number", value: "H", help: "query heads (default d_model/64, at least 1)" },
    "kv-heads": { type: "number", value: "K", help: "key/value heads (default: --heads)" },
    ffn: { type: "number", value: "F", help: "SwiGLU width (default 8/3·d_model rounded up to a multiple of 8)" },
    seq: { type: "number", value: "S", help: "context length in tokens (required)" },
    vocab: { type: "number", value: "V", help: "vocabulary (default 256, the byte tokenizer)" },
    tokens: { type: "number", value: "D", help: "training tokens (required)" },
    "batch-tokens": { type: "number", value: "B", help: "tokens per step, a multiple of --seq (required)" },
    lr: { type: "number", value: "η", help: "peak learning rate (required)" },
    "micro-batch-tokens": { type: "number", value: "T", help: "largest micro-batch in tokens (default: what fits the wasm heap)" },
    schedule: { type: "string", value: "KIND", help: "multistep (default, paper §2.3) | cosine | wsd | constant" },
    warmup: { type: "number", value: "F", help: "warmup as a fraction of steps (default 0.05)" },
    corpus: { type: "string", value: "NAME|PATH", help: "en-prose (default), ts-code, or a folder / .jsonl / .bin path" },
    backend: { type: "string", value: "NAME", help: "auto (default) | tensorflow | wasm | cpu" },
    blas: { type: "string", value: "NAME", help: "products: auto (default: OpenBLAS addon when built, else wasm) | native | wasm" },
    "blas-threads": { type: "number", value: "N", help: "OpenBLAS threads (default OPENBLAS_NUM_THREADS, else 1)" },
    seed: { type: "number", value: "N", help: "seed of init and batches (default 0)" },
    "init-std": { type: "number", value: "σ", help: "init std of matrices (default 0.006, paper §2)" },
    "scale-init": { type: "boolean", help: "scale the init std with width: σ·sqrt(4096/d_model)" },
  },
};

/** Config field (dotted) → the flag that sets it, so errors name what the user typed. */
const FLAG_OF_PATH: Record<string, string> = {
  "shape.layers": "--layers",
  "shape.dModel": "--d-model",
  "shape.heads": "--heads",
  "shape.kvHeads": "--kv-heads",
  "shape.ffn": "--ffn",
  "shape.seq": "--seq",
  "shape.vocab": "--vocab",
  tokens: "--tokens",
  batchTokens: "--batch-tokens",
  learningRate: "--lr",
  microBatchTokens: "--micro-batch-tokens",
  schedule: "--schedule",
  "schedule.warmup.fraction": "--warmup",
  corpus: "--corpus",
  backend: "--backend",
  seed: "--seed",
  blas: "--blas",
  blasThreads: "--blas-threads",
  "init.std": "--init-std",
};

const SCHEDULES = ["multistep", "cosine", "wsd", "constant"] as const;

/** The TrainConfig the flags describe (validated later by train()). */
export function configFromArgv(argv: string[]): TrainConfigInput | "help" {
  const args = parseArgs(argv, spec);
  if (args.help) return "help";
  const dModel = requireNumber(args, "d-model");
  const heads = optionalNumber(args, "heads") ?? Math.max(1, Math.round(dModel / 64));
  const kind = optionalString(args, "schedule") ?? "multistep";
  if (!(SCHEDULES as readonly string[]).includes(kind)) throw new ConfigError(`unknown schedule "${kind}"`, "--schedule", `use ${SCHEDULES.join(", ")}`);
  const micro = optionalNumber(args, "micro-batch-tokens");
  const blas = optionalString(args, "blas");
  const blasThreads = optionalNumber(args, "blas-threads");
  return {
    shape: {
      layers: requireNumber(args, "layers"),
      dModel,
      heads,
      kvHeads: optionalNumber(args, "kv-heads") ?? heads,
      ffn: optionalNumber(args, "ffn") ?? swigluWidth(dModel, 8),
      seq: requireNumber(args, "seq"),
      vocab: optionalNumber(args, "vocab") ?? 256,
    },
    tokens: requireNumber(args, "tokens"),
    batchTokens: requireNumber(args, "batch-tokens"),
    learningRate: requireNumber(args, "lr"),
    schedule: { kind: kind as (typeof SCHEDULES)[number], warmup: { fraction: optionalNumber(args, "warmup") ?? 0.05 } },
    init: { std: optionalNumber(args, "init-std") ?? 0.006, scaleWithWidth: args.flags["scale-init"] === true },
    corpus: optionalString(args, "corpus") ?? "en-prose",
    backend: (optionalString(args, "backend") ?? "auto") as TrainConfigInput["backend"],
    seed: optionalNumber(args, "seed") ?? 0,
    ...(micro !== undefined ? { microBatchTokens: micro } : {}),
    ...(blas !== undefined ? { blas: blas as NonNullable<TrainConfigInput["blas"]> } : {}),
    ...(blasThreads !== undefined ? { blasThreads } : {}),
  };
}

/** Re-label a config error with the flag that set the field. */
function withFlag(err: unknown): unknown {
  if (!(err instanceof ScalingError) || !err.path) return err;
  const flag = FLAG_OF_PATH[err.path] ?? (err.path.startsWith("schedule") ? "--schedule" : undefined);
  if (!flag) return err;
  const problem = err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2).split(" — ")[0]! : err.message;
  return new (err.constructor as typeof ConfigError)(problem, flag, err.hint);
}

/** Progress on stderr: a rewritten line on a terminal, else a compact line every few seconds. */
function progressPrinter(): (p: TrainProgress) => void {
  const tty = process.stderr.isTTY === true;
  const everyMs = tty ? 250 : 5000;
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < everyMs && p.step !== p.steps) return;
    last = now;
    const line = `step ${p.step}/${p.steps}  loss ${p.loss.toFixed(3)}  lr ${p.learningRate.toExponential(2)}  ${Math.round(p.tokensPerSecond)} tok/s`;
    process.stderr.write(tty ? `\r${line}${p.step === p.steps ? "\n" : ""}` : `${line}\n`);
  };
}

/** The --json object: the summary keys first, then evals and the resolved config (no per-step curve). */
export function summaryOf(r: RunResult): Record<string, unknown> {
  const { status, error, bitsPerByte, loss, tokens, steps, modelScale, compute, wallSeconds, tokensPerSecond, backend, seed, evals, config } = r;
  return { status, ...(error ? { error } : {}), bitsPerByte, loss, tokens, steps, modelScale, compute, wallSeconds, tokensPerSecond, backend, seed, evals, config };
}

export async function run(argv: string[]): Promise<number> {
  let result: RunResult;
  try {
    const config = configFromArgv(argv);
    if (config === "help") {
      print(helpText(spec));
      return 0;
    }
    result = await train(config, { onProgress: progressPrinter() });
  } catch (err) {
    throw withFlag(err);
  }
  if (argvHasJson(argv)) {
    printJson(summaryOf(result));
  } else {
    const rows: [string, string][] = [
      ["status", result.status + (result.error ? ` (${result.error})` : "")],
      ["validation bits/byte", fmt(result.bitsPerByte)],
      ["final train loss (nats)", fmt(result.loss)],
      ["tokens trained", fmt(result.tokens)],
      ["M (FLOPs/token)", fmt(result.modelScale)],
      ["C = M·D (FLOPs)", fmt(result.compute)],
      ["wall seconds", fmt(result.wallSeconds, 3)],
      ["tokens/s", fmt(result.tokensPerSecond, 3)],
      ["backend", result.backend.name],
    ];
    print(table(["quantity", "value"], rows));
  }
  // A diverged run is a result (its record says so); only a failed run is a failure.
  return result.status === "failed" ? 1 : 0;
}

const argvHasJson = (argv: string[]): boolean => argv.includes("--json") || argv.includes("--json=true");
