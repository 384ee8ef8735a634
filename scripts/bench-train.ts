// Training throughput (GFLOP/s of M, tokens/s) on the standard shapes (performance.md a/b/c) and the
// tiny sweep shape t, for the wasm (XNNPACK) product beside the native OpenBLAS one, and PyTorch on
// the same model when /usr/bin/python3 has torch (scripts/bench-torch.py, OpenMP OpenBLAS if present).
// Usage: npm run bench:train [-- --shapes t,a,b,c] [--steps N] [--threads 1] [--products wasm,native]
//        [--procs 2]  (that many concurrent processes on shape t: aggregate tokens/s of the machine)
import { parseArgs } from "node:util";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { selectBackend } from "../lib/train/backend";
import { setupBlas } from "../lib/train/blasSetup";
import { measureThroughput } from "../lib/train/throughput";
import { modelScaleExact } from "../lib/model/count";
import { swigluWidth, type ModelShape } from "../lib/model/shape";

const { values } = parseArgs({
  options: {
    shapes: { type: "string", default: "t,a,b,c" },
    steps: { type: "string", default: "3" },
    threads: { type: "string", default: "1" },
    products: { type: "string", default: "wasm,native" },
    procs: { type: "string", default: "1" },
    torch: { type: "string", default: "auto" },
  },
});
const SHAPES: Record<string, { layers: number; d: number; seq: number; seqs: number }> = {
  t: { layers: 2, d: 64, seq: 128, seqs: 32 }, // the sweeps' tiny shape: 4096 tokens per step
  a: { layers: 4, d: 128, seq: 128, seqs: 16 },
  b: { layers: 4, d: 256, seq: 256, seqs: 16 },
  c: { layers: 8, d: 512, seq: 256, seqs: 8 },
};
const threads = Number(values.threads);
const steps = Number(values.steps);
const keys = values.shapes!.split(",");
const shapeOf = (key: string): ModelShape => {
  const s = SHAPES[key];
  if (!s) throw new Error(`--shapes: unknown shape '${key}' (use ${Object.keys(SHAPES).join(", ")})`);
  const heads = Math.max(1, s.d / 64);
  return { layers: s.layers, dModel: s.d, heads, kvHeads: heads, ffn: swigluWidth(s.d, 8), seq: s.seq, vocab: 256 };
};
const fmt = (x: number | undefined, digits = 1): string => (x === undefined ? "-" : x.toFixed(digits)).padStart(9);

if (Number(values.procs) > 1) {
  // N copies of this bench on one shape at once, each one product; the machine's total is the sum.
  const args = ["--import", "tsx", "scripts/bench-train.ts", "--shapes", keys[0]!, "--steps", String(steps), "--threads", String(threads), "--products", values.products!.split(",")[0]!, "--torch", "off"];
  const outs = await Promise.all(Array.from({ length: Number(values.procs) }, () => new Promise<string>((done) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => done(out));
  })));
  const rows = outs.map((o) => o.trim().split("\n").pop()!.trim().split(/\s+/));
  const tokens = rows.reduce((s, r) => s + Number(r.at(-1)), 0);
  console.log(`${values.procs} processes × shape ${keys[0]} (${values.products!.split(",")[0]}, ${threads} thread each): ${tokens.toFixed(0)} tokens/s total, ${((tokens * modelScaleExact(shapeOf(keys[0]!))) / 1e9).toFixed(2)} GFLOP/s of M total`);
  process.exit(0);
}

/** PyTorch wall and CPU ms/step per shape, or why not. */
function torchTimes(): Record<string, { msPerStep: number; cpuMsPerStep: number }> | string {
  if (values.torch === "off") return "off";
  if (!existsSync("scripts/bench-torch.py") || spawnSync("/usr/bin/python3", ["-c", "import torch"]).status !== 0) return "python3-torch not installed";
  const omp = "/usr/lib/x86_64-linux-gnu/openblas-openmp"; // the fair peer (performance.md)
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), ...(existsSync(omp) ? { LD_LIBRARY_PATH: omp } : {}) };
  const shapes = keys.map((k) => ({ name: k, ...SHAPES[k]!, heads: shapeOf(k).heads, ffn: shapeOf(k).ffn }));
  const r = spawnSync("/usr/bin/python3", ["scripts/bench-torch.py", JSON.stringify({ threads, steps, shapes })], { encoding: "utf8", env });
  if (r.status !== 0) return `bench-torch.py failed: ${r.stderr.trim().split("\n").pop()}`;
  return Object.fromEntries(r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { name: string; msPerStep: number; cpuMsPerStep: number }).map((x) => [x.name, x]));
}

const products = values.products!.split(",");
const results: Record<string, Record<string, { ms: number; tokens: number; gflops: number; perCpu: number }>> = {};
for (const product of products) {
  const blas = setupBlas(product === "native" ? "native" : "wasm", threads);
  await selectBackend("wasm", blas.kernels);
  for (const key of keys) {
    const t = measureThroughput(shapeOf(key), { batchSeqs: SHAPES[key]!.seqs, steps });
    (results[key] ??= {})[product] = { ms: t.msPerStep, tokens: t.tokensPerSecond, gflops: t.gflopsM, perCpu: t.gflopsMPerCpu };
  }
}
const torch = torchTimes();
console.log(`GFLOP/s of M per training step, wall clock (${threads} BLAS thread${threads > 1 ? "s" : ""}); for the last product also per CPU-second and tokens/s${typeof torch === "string" ? `; PyTorch: ${torch}` : ""}`);
console.log(`shape ${products.map((p) => p.padStart(9)).join(" ")} ${"torch".padStart(9)} ${"ratio".padStart(9)}   per-CPU tokens/s`);
const flopsPerStep = (key: string): number => modelScaleExact(shapeOf(key)) * SHAPES[key]!.seqs * SHAPES[key]!.seq;
for (const key of keys) {
  const row = results[key]!;
  const last = row[products.at(-1)!]!;
  const peer = typeof torch === "string" ? undefined : torch[key];
  const torchGflops = peer ? flopsPerStep(key) / (peer.msPerStep / 1000) / 1e9 : undefined;
  const torchPerCpu = peer ? flopsPerStep(key) / (peer.cpuMsPerStep / 1000) / 1e9 : undefined;
  console.log(`${key.padEnd(5)} ${products.map((p) => fmt(row[p]!.gflops)).join(" ")} ${fmt(torchGflops)} ${fmt(torchGflops ? last.gflops / torchGflops : undefined, 2)} ${fmt(last.perCpu)} ${last.tokens.toFixed(0)}${torchPerCpu ? `  (per CPU-s: torch ${torchPerCpu.toFixed(1)}, ratio ${(last.perCpu / torchPerCpu).toFixed(2)})` : ""}`);
}
