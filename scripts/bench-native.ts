// `npm run bench:native`: GFLOP/s of the native OpenBLAS sgemm (1 and 2 threads, each usable
// OpenBLAS core type) against tfjs-wasm on the same products: square sizes and the products the
// engine runs for shapes (layers, d, seq, batch) = (4,256,256,16) and (8,512,256,8).
// The core type is fixed when OpenBLAS loads, so each configuration runs in its own process.
// Usage: node --import tsx scripts/bench-native.ts [--quick] [--json]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { loadNativeBlas } from "../lib/native/blas";
import { cpuHasAvx512 } from "../lib/native/coretype";
import { swigluWidth } from "../lib/model/shape";
import { registerWasmKernels } from "../lib/train/kernels/batchMatMul";

/** Each timing round runs at least this long; the best of ROUNDS is kept (the 2 cores are shared). */
const ROUND_SECONDS = 0.15;
const ROUNDS = 3;
/** Head size the engine's shapes use (lib/model/shape gcdHeadSize prefers 64). */
const HEAD_SIZE = 64;

interface Case {
  name: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

function cases(quick: boolean): Case[] {
  const out: Case[] = [];
  for (const s of quick ? [256, 1024] : [256, 512, 1024, 2048]) {
    out.push({ name: `square ${s}`, batch: 1, m: s, n: s, k: s, transA: false, transB: false });
  }
  for (const [layers, d, seq, seqs] of [[4, 256, 256, 16], [8, 512, 256, 8]] as const) {
    const tag = `(${layers},${d},${seq},${seqs})`;
    const bt = seq * seqs;
    const ffn = swigluWidth(d, 8);
    const heads = d / HEAD_SIZE;
    out.push(
      { name: `${tag} x·W1 [BT,d]×[d,ffn]`, batch: 1, m: bt, n: ffn, k: d, transA: false, transB: false },
      { name: `${tag} dX=dY·W1ᵀ`, batch: 1, m: bt, n: d, k: ffn, transA: false, transB: true },
      { name: `${tag} dW1=xᵀ·dY`, batch: 1, m: d, n: ffn, k: bt, transA: true, transB: false },
      { name: `${tag} Q·Kᵀ ×${seqs * heads}`, batch: seqs * heads, m: seq, n: seq, k: HEAD_SIZE, transA: false, transB: true },
      { name: `${tag} P·V ×${seqs * heads}`, batch: seqs * heads, m: seq, n: HEAD_SIZE, k: seq, transA: false, transB: false },
    );
  }
  return out;
}

const flopsOf = (c: Case): number => 2 * c.batch * c.m * c.n * c.k;

/** Best GFLOP/s over ROUNDS rounds of at least ROUND_SECONDS each, after one warm-up call. */
function gflops(c: Case, run: () => void): number {
  run();
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      run();
      calls++;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < ROUND_SECONDS);
    best = Math.max(best, (calls * flopsOf(c)) / elapsed / 1e9);
  }
  return best;
}

function randomArray(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898) * 0.5);
}

type Row = Record<string, number>;

/** Child: native sgemm at 1 and 2 threads under whatever core type this process loaded. */
function childNative(list: Case[]): Record<string, Row> {
  const loaded = loadNativeBlas();
  if (!loaded.ok) throw new Error(loaded.reason);
  const { blas, config } = loaded;
  const label = `${config.openblas.coreName} ${config.threading}`;
  const result: Record<string, Row> = {};
  for (const c of list) {
    const a = randomArray(c.batch * c.m * c.k);
    const b = randomArray(c.batch * c.k * c.n);
    const out = new Float32Array(c.batch * c.m * c.n);
    const row: Row = {};
    for (const threads of [1, 2]) {
      blas.setThreads(threads);
      row[`${label} ${threads}t`] = gflops(c, () =>
        c.batch === 1
          ? blas.sgemm(a, b, out, c.m, c.n, c.k, c)
          : blas.sgemmBatched(a, b, out, c.batch, c.m, c.n, c.k, c),
      );
    }
    result[c.name] = row;
  }
  return result;
}

/** Child: tf.matMul on the wasm backend, stock kernels and the engine's BatchMatMul (lib/train/kernels). */
async function childWasm(list: Case[]): Promise<Record<string, Row>> {
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
  const result: Record<string, Row> = {};
  for (const engine of [false, true]) {
    if (engine) registerWasmKernels();
    for (const c of list) {
      const shapeA = c.transA ? [c.k, c.m] : [c.m, c.k];
      const shapeB = c.transB ? [c.n, c.k] : [c.k, c.n];
      const a = tf.tensor(randomArray(c.batch * c.m * c.k), c.batch > 1 ? [c.batch, ...shapeA] : shapeA);
      const b = tf.tensor(randomArray(c.batch * c.k * c.n), c.batch > 1 ? [c.batch, ...shapeB] : shapeB);
      const row = (result[c.name] ??= {});
      // The stock kernel runs transposed and batched products in a naive loop (~1 GFLOP/s measured,
      // seconds per call): it is timed on plain 2-D products only, the engine kernel on all.
      if (engine || (c.batch === 1 && !c.transA && !c.transB)) {
        row[engine ? "wasm engine kernel" : "wasm tf.matMul"] = gflops(c, () => tf.matMul(a, b, c.transA, c.transB).dispose());
      }
      tf.dispose([a, b]);
    }
  }
  return result;
}

function spawnChild(kind: string, env: Record<string, string>, quick: boolean): Record<string, Row> | string {
  const args = ["--import", "tsx", "scripts/bench-native.ts", `--child=${kind}`, ...(quick ? ["--quick"] : [])];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) return (r.stderr || `exit ${r.status} signal ${r.signal}`).trim().split("\n").pop() ?? "failed";
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, Row>;
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const child = process.argv.find((a) => a.startsWith("--child="))?.slice(8);
  const list = cases(quick);
  if (child) {
    console.log(JSON.stringify(child === "wasm" ? await childWasm(list) : childNative(list)));
    return;
  }
  const probe = loadNativeBlas();
  if (!probe.ok) console.log(`native BLAS unavailable: ${probe.reason}`);
  const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim().split(/\s+/) ?? []);
  // Core types to compare: OpenBLAS's own detection, AVX2 Haswell, and AVX-512 SkylakeX where the CPU runs it.
  const coreTypes = ["auto", "Haswell", ...(cpuHasAvx512(flags) ? ["SkylakeX"] : [])];
  const runs = [
    ...(probe.ok ? coreTypes.map((ct) => spawnChild("native", { SCALING_BLAS_CORETYPE: ct }, quick)) : []),
    spawnChild("wasm", {}, quick),
  ];
  const table: Record<string, Row> = {};
  for (const run of runs) {
    if (typeof run === "string") {
      console.log(`a benchmark process failed: ${run}`);
      continue;
    }
    for (const [name, row] of Object.entries(run)) Object.assign((table[name] ??= {}), row);
  }
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ config: probe.ok ? probe.config : probe.reason, gflops: table }, null, 1));
    return;
  }
  if (probe.ok) console.log(`native: ${probe.config.openblas.buildConfig}; ${probe.config.threading}; default core ${probe.config.openblas.coreName}${probe.config.hint ? `; hint: ${probe.config.hint}` : ""}`);
  if (!cpuHasAvx512(flags)) console.log("SkylakeX not measured: this CPU lacks AVX-512 (OpenBLAS would die with SIGILL)");
  const columns = [...new Set(Object.values(table).flatMap((r) => Object.keys(r)))];
  console.log(`GFLOP/s (best of ${ROUNDS} rounds ≥ ${ROUND_SECONDS}s)\n| product | ${columns.join(" | ")} |\n|---|${columns.map(() => "---:").join("|")}|`);
  for (const [name, row] of Object.entries(table)) {
    console.log(`| ${name} | ${columns.map((c) => (row[c] === undefined ? "" : row[c]!.toFixed(1))).join(" | ")} |`);
  }
}

await main();
