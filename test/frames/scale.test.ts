import assert from "node:assert/strict";
import { test } from "node:test";
import { SCALE_COLUMNS, scaleFrame } from "../../lib/frames/scale";
import type { ModelShape } from "../../lib/model/shape";

const shape = (layers: number, dModel: number): ModelShape => ({ layers, dModel, heads: dModel / 64, kvHeads: dModel / 64, ffn: (8 * dModel) / 3, seq: 4096, vocab: 102400 });

test("scaleFrame(shapes) is Table 3: N₁ = 12nd², N₂ = N₁ + Vd, M = 72nd² + 12ndl, and the two ratios", () => {
  const df = scaleFrame([shape(8, 512), shape(80, 8192)]);
  assert.deepEqual(df.columns, [...SCALE_COLUMNS]);
  assert.deepEqual(df.shape, [2, SCALE_COLUMNS.length]);
  // 8×512 by hand: N₁ = 12·8·512² = 25,165,824; N₂ = N₁ + 102400·512 = 77,594,624; M = 72·8·512² + 12·8·512·4096.
  const [layers, dModel, vocab, seq, N1, N2, M, r1, r2] = df.values[0] as number[];
  assert.deepEqual([layers, dModel, vocab, seq, N1, N2, M], [8, 512, 102400, 4096, 25_165_824, 77_594_624, 352_321_536]);
  assert.equal(r1, (6 * 25_165_824) / 352_321_536);
  assert.equal(r2, (6 * 77_594_624) / 352_321_536);
});

test("scaleFrame(shapes, 'exact') counts the real GQA shape of the 67B (M ≈ 4.3e11 FLOPs/token, paper Fig. 4)", () => {
  const df = scaleFrame([{ layers: 95, dModel: 8192, heads: 64, kvHeads: 8, ffn: 22016, seq: 4096, vocab: 102400 }], "exact");
  const M = df.column("M").values[0] as number;
  assert.equal(Number(M.toPrecision(2)), 4.3e11);
});
