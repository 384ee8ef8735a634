import assert from "node:assert/strict";
import { test } from "node:test";
import { parabolaMinimum } from "../../lib/figures/isoflopCurves";
import { lossAt, lossComputeFigure } from "../../lib/figures/lossCompute";
import { toSvgString } from "../../lib/figures/render";
import { COMPUTE_67B, COMPUTE_7B, LOSS_LAW, isoflopFits } from "./fixtures";
import { overlappingTexts } from "./overlap";
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
  const [fitted, extrapolated] = Array.from(el.children).filter((c) => c.tagName.toLowerCase() === "svg");
  assert.ok(fitted && extrapolated, "a fitted-range panel and an extrapolation panel");
  const lines = Array.from(extrapolated.querySelectorAll('g[aria-label="line"]'));
  assert.equal(lines.length, 2, "fitted segment and dashed extrapolation");
  assert.equal(lines[1]?.getAttribute("stroke-dasharray"), "5,3");
  const fittedTexts = Array.from(fitted.querySelectorAll("text")).map((t) => t.textContent);
  assert.ok(fittedTexts.includes("fitted: L = 9.5·C^−0.056"), fittedTexts.join("|"));
  assert.ok(!fittedTexts.some((t) => t?.startsWith("7B")), "the 7B/67B budgets are only on the extrapolation panel");
  const svg = toSvgString(extrapolated);
  for (const [label, c] of [["7B", COMPUTE_7B], ["67B", COMPUTE_67B]] as const) {
    assert.ok(svg.includes(`${label}: ${lossAt(LOSS_LAW, c).toFixed(3)}`), `${label} prediction label`);
  }
  assert.deepEqual(overlappingTexts(el), []);
  const observed = Array.from(el.querySelectorAll('g[aria-label="dot"]')).find((g) => g.getAttribute("fill") === "#1f77b4");
  assert.equal(observed?.querySelectorAll("path").length, 1, "one observed target");
  assertSvgSnapshot("lossCompute", toSvgString(el));
});

test("lossComputeFigure(points, {law}) draws the band from the law's draws and the held-out target on the fitted panel", () => {
  const points = isoflopFits().map((f) => ({ compute: f.compute, loss: parabolaMinimum(f).loss }));
  const draws = { coefficient: [9, 9.5, 10], exponent: [-0.055, -0.056, -0.057] };
  const heldOut = { label: "held out", compute: 1e21, loss: 0.7 };
  const el = lossComputeFigure(points, { law: { ...LOSS_LAW, draws }, targets: [heldOut, { label: "7B", compute: COMPUTE_7B }] });
  const [fitted] = Array.from(el.children).filter((c) => c.tagName.toLowerCase() === "svg");
  const band = fitted?.querySelector('g[aria-label="area"] path')?.getAttribute("d") ?? "";
  assert.notEqual(band, "", "a band from the draws");
  const texts = Array.from(fitted?.querySelectorAll("text") ?? []).map((t) => t.textContent);
  assert.ok(texts.includes(`held out: ${lossAt(LOSS_LAW, 1e21).toFixed(3)}`), "held-out prediction on the fitted panel");
  assert.ok(texts.includes("measured at a target budget") && texts.includes("95% band of the fitted curve"));
});
