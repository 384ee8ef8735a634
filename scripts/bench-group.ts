// Grouped training (lib/train/train's trainGroup): tokens/s summed over a group of R runs of one
// shape in lockstep, for R = 1, 5, 20 (and the most memory allows, if fewer), on the study's own
// stage-1 and held-out shapes (read from the committed records), beside PyTorch eager training the
// same runs one after another (scripts/bench-torch.py: R runs in sequence run at one run's rate),
// with GFLOP/s of M and the fraction of this core's FMA peak (a register-only FMA loop, printed).
// Wall clock and per-CPU-second figures both print: on a shared machine compare the per-CPU ones.
// Usage: npm run bench:group [-- --groups 1,5,20] [--steps N] [--torch off]
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { selectBackend } from "../lib/train/backend";
import { setupBlas } from "../lib/train/blasSetup";
import { measureThroughput } from "../lib/train/throughput";
import { maxGroupRuns } from "../lib/train/group";
import { loadNativeBlas } from "../lib/native/blas";
import { modelScaleExact } from "../lib/model/count";
import { runRecordSchema } from "../lib/sweep/record";
import type { TrainConfig } from "../lib/train/config";

const { values } = parseArgs({ options: { groups: { type: "string", default: "1,5,20" }, steps: { type: "string", default: "5" }, torch: { type: "string", default: "auto" } } });
const groups = values.groups!.split(",").map(Number);
const steps = Number(values.steps);

/** One committed run per study cell benchmarked: [label, experiment, budget, which B row (sorted)]. */
const CELLS: ReadonlyArray<readonly [string, string, number, number]> = [
  ["1e11", "study-hyperparams", 1e11, 2],
  ["1e12", "study-hyperparams", 1e12, 2],
  ["3.2e12", "study-verify", 3.2e12, 1],
];

function configOf(experiment: string, budget: number, row: number): TrainConfig | undefined {
  const dir = join("results", experiment, "runs");
  if (!existsSync(dir)) return undefined;
  const records = readdirSync(dir).map((f) => runRecordSchema.parse(JSON.parse(readFileSync(join(dir, f), "utf8")))).filter((r) => r.cell.budget === budget);
  const batches = [...new Set(records.map((r) => r.config.batchTokens))].sort((a, b) => a - b);
  return records.find((r) => r.config.batchTokens === batches[Math.min(row, batches.length - 1)])?.config;
}

const native = loadNativeBlas();
// Best of three: a loaded core only ever lowers it.
const peak = native.ok ? Math.max(...[0, 1, 2].map(() => native.blas.fmaPeak(5e7) ?? 0)) || undefined : undefined;
const blas = setupBlas("native", 1);
await selectBackend("wasm", blas.kernels);

function torchTokensPerSecond(config: TrainConfig): number | string {
  if (values.torch === "off") return "off";
  if (spawnSync("/usr/bin/python3", ["-c", "import torch"]).status !== 0) return "python3-torch not installed";
  const omp = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
  const env = { ...process.env, OMP_NUM_THREADS: "1", ...(existsSync(omp) ? { LD_LIBRARY_PATH: omp } : {}) };
  const s = config.shape;
  const shape = { name: "x", layers: s.layers, d: s.dModel, heads: s.heads, ffn: s.ffn, seq: s.seq, seqs: config.batchTokens / s.seq };
  const r = spawnSync("/usr/bin/python3", ["scripts/bench-torch.py", JSON.stringify({ threads: 1, steps, shapes: [shape] })], { encoding: "utf8", env });
  if (r.status !== 0) return "bench-torch.py failed";
  const { cpuMsPerStep } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { cpuMsPerStep: number };
  return config.batchTokens / (cpuMsPerStep / 1000);
}

console.log(`FMA peak of one core (register-only AVX2 FMA loop): ${peak ? `${(peak / 1e9).toFixed(1)} GFLOP/s` : "unavailable (native addon missing or without fmaPeak)"}`);
console.log("cell     shape        B     R  tokens/s wall  tokens/s per CPU-s  GFLOP/s of M per CPU-s  % of FMA peak  vs PyTorch eager (per CPU-s)");
for (const [label, experiment, budget, row] of CELLS) {
  const config = configOf(experiment, budget, row);
  if (!config) {
    console.log(`${label.padEnd(8)} no committed records in results/${experiment}`);
    continue;
  }
  const s = config.shape;
  const m = modelScaleExact(s);
  const torch = torchTokensPerSecond(config);
  const fit = maxGroupRuns(config);
  for (const runs of [...new Set(groups.map((g) => Math.min(g, fit)))]) {
    const t = measureThroughput(s, { batchSeqs: config.batchTokens / s.seq, runs, steps, warmupSteps: 1 });
    const perCpuTokens = (runs * config.batchTokens) / (t.cpuMsPerStep / 1000);
    const gflops = (m * perCpuTokens) / 1e9;
    console.log(
      `${label.padEnd(8)} ${`${s.layers}×${s.dModel}×${s.seq}`.padEnd(10)} ${String(config.batchTokens).padStart(5)} ${String(runs).padStart(4)}` +
        `  ${t.tokensPerSecond.toFixed(0).padStart(13)}  ${perCpuTokens.toFixed(0).padStart(18)}  ${gflops.toFixed(2).padStart(22)}` +
        `  ${peak ? ((100 * gflops * 1e9) / peak).toFixed(1).padStart(13) : "-".padStart(13)}  ${typeof torch === "number" ? `${(perCpuTokens / torch).toFixed(2)}× (${torch.toFixed(0)} tokens/s)` : torch}`,
    );
  }
}
