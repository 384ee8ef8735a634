import assert from "node:assert/strict";
import { test } from "node:test";
import { parabolaMinimum } from "../../lib/figures/isoflopCurves";
import { lossAt, lossComputeFigure } from "../../lib/figures/lossCompute";
import { toSvgString } from "../../lib/figures/render";
import { COMPUTE_67B, COMPUTE_7B, LOSS_LAW, isoflopFits } from "./fixtures";
import { assertSvgSnapshot } from "./snapshot";

test("lossAt(law, C) is irreducible + coefficient·C^exponent", () => {
  assert.equal(lossAt({ coefficient: 2, exponent: -0.5, irreducible: 1 }, 100), 1.2);
  assert.equal(lossAt({ coefficient: 2, exponent: 1 }, 3), 6);
});

test("lossComputeFigure(points, {law, targets}) extrapolates L(C) to the 7B/67B budgets and prints the predictions", () => {
  const points = isoflopFits().map((f) => ({ compute: f.compute, loss: parabolaMinimum(f).loss }));
  const el = lossComputeFigure(points, {
    law: LOSS_LAW,
    targets: [{ label: "7B", compute: COMPUTE_7B }, { label: "67B", compute: COMPUTE_67B, loss: 0.6 }],
  });
  const lines = Array.from(el.querySelectorAll('g[aria-label="line"]'));
  assert.equal(lines.length, 2, "fitted segment and dashed extrapolation");
  assert.equal(lines[1]?.getAttribute("stroke-dasharray"), "5,3");
  const svg = toSvgString(el);
  for (const [label, c] of [["7B", COMPUTE_7B], ["67B", COMPUTE_67B]] as const) {
    assert.ok(svg.includes(`${label}: ${lossAt(LOSS_LAW, c).toFixed(3)}`), `${label} prediction label`);
  }
  const observed = Array.from(el.querySelectorAll('g[aria-label="dot"]')).find((g) => g.getAttribute("fill") === "#1f77b4");
  assert.equal(observed?.querySelectorAll("path").length, 1, "one observed target");
  assertSvgSnapshot("lossCompute", svg);
});
