import assert from "node:assert/strict";
import { test } from "node:test";
import { DEEPSEEK_7B } from "../../lib/laws/reference";
import { modelScaleExact } from "../../lib/model/count";
import { familyOf, PAPER_FAMILY, parseFamily, searchShape, TINY_FAMILY, type ShapeFamily } from "../../lib/model/search";
import { parseBuildableShape, swigluWidth } from "../../lib/model/shape";
import { ConfigError } from "../../lib/util/errors";

/** Tiny family, M ≥ 1e7: widths step by 16 at d ≈ 200, so the nearest bracket can be ~6 % off. Measured worst: 5.7 %. */
const TINY_SMALL_REL_TOL = 0.06;
/** Tiny family, M ≥ 3e7: d ≥ 300 makes the 16-wide step fine enough. Measured worst: 1.9 %. */
const TINY_REL_TOL = 0.02;
/** Paper family, M ≥ 1e9: 128-wide steps at d ≥ 1024. Measured worst: 3.5 %. */
const PAPER_REL_TOL = 0.04;

const logGrid = (lo: number, hi: number, perDecade: number): number[] => {
  const out: number[] = [];
  for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e += 1 / perDecade) out.push(10 ** e);
  return out;
};

function assertValid(family: ShapeFamily, target: number, tol: number): void {
  const match = searchShape(target, family);
  const s = parseBuildableShape(match.shape);
  assert.ok(s.layers >= 1 && Number.isInteger(s.layers));
  assert.equal(s.dModel % family.headSize, 0, "dModel is a multiple of headSize");
  assert.equal(s.dModel / s.heads, family.headSize);
  assert.equal(s.heads / s.kvHeads, family.queriesPerKvHead);
  assert.equal(s.ffn, swigluWidth(s.dModel, family.ffnMultiple));
  assert.equal(match.modelScale, modelScaleExact(s));
  assert.equal(match.relativeError, match.modelScale / target - 1);
  assert.ok(Math.abs(match.relativeError) <= tol, `target ${target.toExponential(2)}: ${(100 * match.relativeError).toFixed(2)} %`);
  const aspect = s.dModel / s.layers / family.aspectRatio;
  assert.ok(aspect <= family.aspectBand && aspect >= 1 / family.aspectBand, `aspect ${aspect} outside the band`);
}

test("searchShape(M, TINY_FAMILY) returns valid shapes within a few % of every target from 1e7 to 1e10", () => {
  for (const target of logGrid(1e7, 3e7, 20)) assertValid(TINY_FAMILY, target, TINY_SMALL_REL_TOL);
  for (const target of logGrid(3e7, 1e10, 20)) assertValid(TINY_FAMILY, target, TINY_REL_TOL);
});

test("searchShape(M, PAPER_FAMILY) returns valid shapes within a few % from 1e9 to 1e13", () => {
  for (const target of logGrid(1e9, 1e13, 10)) assertValid(PAPER_FAMILY, target, PAPER_REL_TOL);
});

test("searchShape(M) prefers the family's aspect ratio among shapes within matchTolerance", () => {
  // 2 × 64 (aspect 32, the tiny default) has M = 6·N₁ + 12·2·64·256; asking for exactly that returns it.
  const target = modelScaleExact({ layers: 2, dModel: 64, heads: 4, kvHeads: 4, ffn: 176, seq: 256, vocab: 256 });
  const match = searchShape(target, TINY_FAMILY);
  assert.deepEqual([match.shape.layers, match.shape.dModel], [2, 64]);
  assert.equal(match.relativeError, 0);
});

test("searchShape(M_7B, familyOf(7B)) finds a shape of the 7B's family within a few % of its M", () => {
  const family = familyOf(DEEPSEEK_7B.shape);
  assert.deepEqual(
    { headSize: family.headSize, ffnMultiple: family.ffnMultiple, queriesPerKvHead: family.queriesPerKvHead, seq: family.seq, vocab: family.vocab },
    { headSize: 128, ffnMultiple: 256, queriesPerKvHead: 1, seq: 4096, vocab: 102400 },
  );
  const match = searchShape(modelScaleExact(DEEPSEEK_7B.shape), family);
  assert.ok(Math.abs(match.relativeError) <= family.matchTolerance);
});

test("parseFamily / searchShape reject bad input with the field named", () => {
  assert.throws(() => parseFamily({ headSize: 0 }), (e: unknown) => e instanceof ConfigError && e.path === "family.headSize");
  assert.throws(() => parseFamily({ heads: 4 }), (e: unknown) => e instanceof ConfigError && /family/.test(e.message));
  assert.throws(() => searchShape(-1), (e: unknown) => e instanceof ConfigError && e.path === "modelScale");
  assert.throws(() => searchShape(Number.NaN), ConfigError);
});

test("searchShape(M) answers for any finite M up to 1e300: a bounded set of depths (issue 18: predict --compute 1e300 hung)", () => {
  for (const target of [1e30, 1e100, 1e300]) {
    const match = searchShape(target, PAPER_FAMILY);
    assert.ok(Number.isFinite(match.modelScale) && match.shape.layers >= 1, `${target}`);
    assert.ok(Math.abs(Math.log(match.modelScale / target)) < 1, `${target}: M ${match.modelScale}`);
  }
});
