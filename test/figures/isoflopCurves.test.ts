import assert from "node:assert/strict";
import { test } from "node:test";
import { sci } from "../../lib/figures/common";
import { isoflopCurvesFigure, parabolaMinimum } from "../../lib/figures/isoflopCurves";
import { toSvgString } from "../../lib/figures/render";
import { EQ4_MODEL, ISOFLOP_BUDGETS, LOSS_LAW, isoflopFits, isoflopRuns } from "./fixtures";
import { overlappingTexts, textBoxes } from "./overlap";
import { assertSvgSnapshot } from "./snapshot";

/** Relative tolerance for a parabola vertex recomputed from its coefficients (float rounding only). */
const VERTEX_RTOL = 1e-9;

test("parabolaMinimum(fit) returns the vertex of a·(ln M)² + b·ln M + c", () => {
  for (const fit of isoflopFits()) {
    const m = parabolaMinimum(fit);
    const truth = EQ4_MODEL.coefficient * fit.compute ** EQ4_MODEL.exponent;
    assert.ok(Math.abs(m.modelScale / truth - 1) < VERTEX_RTOL, `${m.modelScale} vs ${truth}`);
    const lossTruth = LOSS_LAW.coefficient * fit.compute ** LOSS_LAW.exponent;
    assert.ok(Math.abs(m.loss / lossTruth - 1) < VERTEX_RTOL);
  }
  assert.ok(Number.isNaN(parabolaMinimum({ compute: 1, parabola: { a: -1, b: 0, c: 0 } }).modelScale), "no minimum when a ≤ 0");
});

test("isoflopCurvesFigure(runs, {fits}) draws one curve and one minimum per budget, hollow when not ok", () => {
  const runs = isoflopRuns();
  const fits = isoflopFits();
  const el = isoflopCurvesFigure(runs, { fits });
  assert.equal(el.querySelectorAll('g[aria-label="line"] path').length, ISOFLOP_BUDGETS.length);
  const diamonds = Array.from(el.querySelectorAll('g[aria-label="dot"]:not(.legend)')).filter((g) => g.getAttribute("stroke") === "#d62728" || g.getAttribute("fill") === "#d62728");
  const counts = diamonds.map((g) => g.querySelectorAll("path").length).sort();
  assert.deepEqual(counts, [1, ISOFLOP_BUDGETS.length - 1], "7 filled minima and 1 hollow (warning) one");
  const svg = toSvgString(el);
  assertSvgSnapshot("isoflopCurves", svg);
});

test("isoflopCurvesFigure(runs, {fits}) names every budget in a legend whose labels overlap no other text", () => {
  const el = isoflopCurvesFigure(isoflopRuns(), { fits: isoflopFits() });
  const texts = textBoxes(el).map((b) => b.text);
  for (const c of ISOFLOP_BUDGETS) assert.ok(texts.includes(`C = ${sci(c)} FLOPs`), `legend line for ${sci(c)}`);
  assert.ok(texts.includes("parabola minimum (used in the laws)") && texts.includes("minimum outside the sampled M (left out)"));
  assert.deepEqual(overlappingTexts(el), []);
});
