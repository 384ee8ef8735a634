// Training throughput on the three standard shapes (performance.md a/b/c): tokens/s, GFLOP/s of M
// and of all matmul FLOPs, and the ratio to a plain 2-D matmul of comparable size in this process.
// Usage: npm run bench:train [-- --backend wasm|cpu|auto] [--steps N] [--shapes a,b,c] [--gemm xnnpack|native]
import { parseArgs } from "node:util";
import { selectBackend } from "../lib/train/backend";
import { measureThroughput, plainMatmulGflops } from "../lib/train/throughput";
import { swigluWidth, type ModelShape } from "../lib/model/shape";
import type { BackendName } from "../lib/train/config";
import { loadNativeGemm } from "../lib/native/wasmGemm";

const { values } = parseArgs({ options: { backend: { type: "string", default: "wasm" }, steps: { type: "string", default: "3" }, shapes: { type: "string", default: "a,b,c" }, gemm: { type: "string", default: "xnnpack" } } });
const SHAPES: Record<string, { layers: number; d: number; seq: number; seqs: number }> = {
  a: { layers: 4, d: 128, seq: 128, seqs: 16 },
  b: { layers: 4, d: 256, seq: 256, seqs: 16 },
  c: { layers: 8, d: 512, seq: 256, seqs: 8 },
};
// --gemm native: the OpenBLAS addon (lib/native) behind the same registered kernels.
const native = values.gemm === "native" ? loadNativeGemm() : undefined;
if (native && !native.gemm) throw new Error(`--gemm native: ${native.reason}`);
const backend = await selectBackend(values.backend as BackendName, native?.gemm ? { gemm: native.gemm } : {});
console.log(`backend ${backend.name}, gemm ${values.gemm}`, Object.keys(backend.skipped).length ? `(skipped: ${JSON.stringify(backend.skipped)})` : "");
console.log("shape  ms/step  tokens/s  GFLOP/s(M)  GFLOP/s(matmul)  plain2D  ratio  micro");
for (const key of values.shapes!.split(",")) {
  const s = SHAPES[key];
  if (!s) throw new Error(`--shapes: unknown shape '${key}' (use a, b, c)`);
  const shape: ModelShape = { layers: s.layers, dModel: s.d, heads: s.d / 64, kvHeads: s.d / 64, ffn: swigluWidth(s.d, 8), seq: s.seq, vocab: 256 };
  const t = measureThroughput(shape, { batchSeqs: s.seqs, steps: Number(values.steps) });
  const plain = plainMatmulGflops(s.seqs * s.seq, s.d, shape.ffn);
  console.log(
    [key.padEnd(5), t.msPerStep.toFixed(0).padStart(7), t.tokensPerSecond.toFixed(0).padStart(9), t.gflopsM.toFixed(1).padStart(11), t.gflopsMatmul.toFixed(1).padStart(16), plain.toFixed(1).padStart(8), (t.gflopsMatmul / plain).toFixed(2).padStart(6), String(t.microBatches).padStart(6)].join(" "),
  );
}
