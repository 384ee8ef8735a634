import assert from "node:assert/strict";
import { test } from "node:test";
import { builtParams, completeParams, eq2, modelScaleExact, nonEmbeddingParams, scaleReport } from "../../lib/model/count";
import { parseBuildableShape, parseShape, swigluWidth, type ModelShape } from "../../lib/model/shape";
import { ConfigError } from "../../lib/util/errors";

/** 3·d·(8d/3) is not exact in floating point; the counts are exact integers otherwise. */
const FRACTIONAL_FFN_REL_TOL = 1e-12;

const VOCAB = 102400; // DeepSeek Table 3 uses n_vocab 102400
const SEQ = 4096; // and l_seq 4096

/**
 * Table 3 shapes (n_layer × d_model) with values worked out by hand from Eq. 2:
 * 6N₁ = 72·n·d², 6N₂ = 6N₁ + 6·n_vocab·d, M = 6N₁ + 12·n·d·l_seq.
 * e.g. 8×512: 72·8·512² = 576·262144 = 150,994,944; 12·8·512·4096 = 201,326,592; 6·102400·512 = 314,572,800.
 */
const TABLE3: { layers: number; dModel: number; sixN1: number; sixN2: number; M: number }[] = [
  { layers: 8, dModel: 512, sixN1: 150_994_944, sixN2: 465_567_744, M: 352_321_536 },
  { layers: 12, dModel: 768, sixN1: 509_607_936, sixN2: 981_467_136, M: 962_592_768 },
  { layers: 24, dModel: 1024, sixN1: 1_811_939_328, sixN2: 2_441_084_928, M: 3_019_898_880 },
  { layers: 24, dModel: 2048, sixN1: 7_247_757_312, sixN2: 8_506_048_512, M: 9_663_676_416 },
  { layers: 32, dModel: 4096, sixN1: 38_654_705_664, sixN2: 41_171_288_064, M: 45_097_156_608 },
  { layers: 40, dModel: 5120, sixN1: 75_497_472_000, sixN2: 78_643_200_000, M: 85_563_801_600 },
  { layers: 80, dModel: 8192, sixN1: 386_547_056_640, sixN2: 391_580_221_440, M: 418_759_311_360 },
];

const mhaShape = (layers: number, dModel: number): ModelShape => ({ layers, dModel, heads: dModel / 128, kvHeads: dModel / 128, ffn: (8 * dModel) / 3, seq: SEQ, vocab: VOCAB });

test("eq2(shape) matches the hand-derived 6N₁, 6N₂ and M of every Table 3 shape", () => {
  for (const row of TABLE3) {
    const counts = eq2({ layers: row.layers, dModel: row.dModel, seq: SEQ, vocab: VOCAB });
    assert.equal(counts.sixN1, row.sixN1, `6N1 of ${row.layers}×${row.dModel}`);
    assert.equal(counts.sixN2, row.sixN2, `6N2 of ${row.layers}×${row.dModel}`);
    assert.equal(counts.modelScale, row.M, `M of ${row.layers}×${row.dModel}`);
  }
});

test("eq2(shape) ratio 6N₁/M equals the closed form 6d/(6d + l_seq), independent of depth", () => {
  for (const row of TABLE3) {
    assert.equal(row.sixN1 / row.M, (6 * row.dModel) / (6 * row.dModel + SEQ));
  }
});

test("nonEmbeddingParams(shape) with MHA and FFN 8/3·d is Eq. 2's 12·n·d² plus the RMSNorm gains 2·n·d + d", () => {
  for (const row of TABLE3) {
    const { layers: n, dModel: d } = row;
    const expected = 12 * n * d * d + 2 * n * d + d;
    const got = nonEmbeddingParams(mhaShape(n, d));
    assert.ok(Math.abs(got / expected - 1) < FRACTIONAL_FFN_REL_TOL, `${n}×${d}: ${got} vs ${expected}`);
    // Exact M differs from Eq. 2 only by the norm gains: 6·(2nd + d).
    const mExact = modelScaleExact(mhaShape(n, d));
    assert.ok(Math.abs(mExact / (row.M + 6 * (2 * n * d + d)) - 1) < FRACTIONAL_FFN_REL_TOL);
  }
});

test("completeParams and builtParams add the vocabulary matrix once and twice", () => {
  const shape = mhaShape(8, 512);
  const n1 = nonEmbeddingParams(shape);
  assert.equal(completeParams(shape) - n1, VOCAB * 512);
  assert.equal(builtParams(shape) - n1, 2 * VOCAB * 512);
});

test("modelScaleExact(DeepSeek 7B) = 42,468,827,136 FLOPs/token by hand", () => {
  // block: 4·4096² (MHA) + 3·4096·11008 + 2·4096 = 67,108,864 + 135,266,304 + 8,192 = 202,383,360
  // N₁ = 30·202,383,360 + 4,096 = 6,071,504,896; M = 6·N₁ + 12·30·4096·4096 = 36,429,029,376 + 6,039,797,760
  const shape = parseBuildableShape({ layers: 30, dModel: 4096, heads: 32, kvHeads: 32, ffn: 11008, seq: 4096, vocab: VOCAB });
  assert.equal(nonEmbeddingParams(shape), 6_071_504_896);
  assert.equal(modelScaleExact(shape), 42_468_827_136);
});

test("modelScaleExact(DeepSeek 67B, GQA) = 432,735,731,712 ≈ 4.3e11 as Figure 4 annotates", () => {
  // block: Wq, Wo 2·8192² = 134,217,728; Wk, Wv with 8 KV heads of 128: 2·8192·1024 = 16,777,216;
  // SwiGLU 3·8192·22016 = 541,065,216; norms 16,384 → 692,076,544. N₁ = 95·692,076,544 + 8,192 = 65,747,279,872.
  // M = 6·N₁ + 12·95·8192·4096 = 394,483,679,232 + 38,252,052,480.
  const shape = parseBuildableShape({ layers: 95, dModel: 8192, heads: 64, kvHeads: 8, ffn: 22016, seq: 4096, vocab: VOCAB });
  assert.equal(nonEmbeddingParams(shape), 65_747_279_872);
  assert.equal(modelScaleExact(shape), 432_735_731_712);
  assert.equal(Number(modelScaleExact(shape).toPrecision(2)), 4.3e11);
  // Eq. 2 (MHA, FFN 8/3·d) overstates it by 15 %: the 67B needs the exact-shape M.
  assert.ok(scaleReport(shape).M / scaleReport(shape).Mexact > 1.14);
});

test("swigluWidth(d, 256) reproduces the released FFN widths 11008 and 22016", () => {
  assert.equal(swigluWidth(4096, 256), 11008);
  assert.equal(swigluWidth(8192, 256), 22016);
  assert.equal(swigluWidth(96), 256);
});

test("parseShape(shape) names the field that breaks head divisibility", () => {
  assert.throws(() => parseShape({ layers: 2, dModel: 64, heads: 3, kvHeads: 3, ffn: 176, seq: 64, vocab: 256 }), (e: unknown) => e instanceof ConfigError && e.path === "shape.heads");
  assert.throws(() => parseShape({ layers: 2, dModel: 64, heads: 4, kvHeads: 3, ffn: 176, seq: 64, vocab: 256 }), (e: unknown) => e instanceof ConfigError && e.path === "shape.kvHeads");
  assert.throws(() => parseBuildableShape({ layers: 2, dModel: 64, heads: 4, kvHeads: 4, ffn: 170.5, seq: 64, vocab: 256 }), (e: unknown) => e instanceof ConfigError && e.path === "shape.ffn");
});
