import assert from "node:assert/strict";
import { test } from "node:test";
import { modelScaleFigure, scaleRows } from "../../lib/figures/modelScale";
import { toSvgString } from "../../lib/figures/render";
import type { ModelShape } from "../../lib/model/shape";
import { assertSvgSnapshot } from "./snapshot";

/** Table 3's shapes (arXiv 2401.02954 §3.2): n_vocab 102400, l_seq 4096. */
const TABLE3: ModelShape[] = [[8, 512], [12, 768], [24, 1024], [24, 2048], [32, 4096], [40, 5120], [80, 8192]].map(([layers, d]) => ({
  layers: layers!,
  dModel: d!,
  heads: d! / 64,
  kvHeads: d! / 64,
  ffn: (8 * d!) / 3,
  seq: 4096,
  vocab: 102400,
}));
/** Float rounding only: the ratios are closed forms of integers. */
const RATIO_RTOL = 1e-12;

test("scaleRows(shapes, 'eq2') gives 6N₁/M = 6d/(6d+l) and 6N₂/M = (12nd+V)/(12nd+2nl), the closed forms of Eq. 2", () => {
  for (const [i, row] of scaleRows(TABLE3, "eq2").entries()) {
    const { layers: n, dModel: d, seq: l, vocab: v } = TABLE3[i]!;
    assert.equal(row.label, `${n}×${d}`);
    assert.ok(Math.abs(row.sixN1 / row.modelScale / ((6 * d) / (6 * d + l)) - 1) < RATIO_RTOL);
    assert.ok(Math.abs(row.sixN2 / row.modelScale / ((12 * n * d + v) / (12 * n * d + 2 * n * l)) - 1) < RATIO_RTOL);
  }
  // The paper's headline: up to ~50 % off at small scale (8×512: 6N₁/M = 3072/7168 = 0.43, 6N₂/M = 1.32).
  const [small] = scaleRows(TABLE3, "eq2");
  assert.equal(Number((small!.sixN1 / small!.modelScale).toFixed(2)), 0.43);
  assert.equal(Number((small!.sixN2 / small!.modelScale).toFixed(2)), 1.32);
});

test("scaleRows(shapes, 'exact') counts norms, so 6N₁ exceeds Eq. 2's 72·n·d² by 6·(2nd + d)", () => {
  const [exact] = scaleRows(TABLE3.slice(0, 1), "exact");
  const { layers: n, dModel: d } = TABLE3[0]!;
  assert.equal(exact!.sixN1 - 72 * n * d * d, 6 * (2 * n * d + d));
});

test("modelScaleFigure(rows) draws both proxy series over all shapes with the ±50 % guides", () => {
  const el = modelScaleFigure(scaleRows(TABLE3));
  const dots = el.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path');
  assert.equal(dots.length, 2 * TABLE3.length);
  const svg = toSvgString(el);
  for (const s of TABLE3) assert.ok(svg.includes(`>${s.layers}×${s.dModel}<`), `${s.layers}×${s.dModel}`);
  assert.ok(svg.includes("6N₁ / M") && svg.includes("6N₂ / M"));
  assertSvgSnapshot("modelScale", svg);
});
