import assert from "node:assert/strict";
import { test } from "node:test";
import { hyperparamLawsFigure } from "../../lib/figures/hyperparamLaws";
import { toSvgString } from "../../lib/figures/render";
import { BATCH_TARGETS, EQ1_BATCH, EQ1_LR, LR_TARGETS, hyperparamRuns, nearOptimal, withDraws } from "./fixtures";
import { assertSvgSnapshot } from "./snapshot";

test("hyperparamLawsFigure(near, options) draws B and η panels with cloud, law, band and the 7B/67B points", () => {
  const runs = hyperparamRuns();
  const near = nearOptimal(runs);
  const el = hyperparamLawsFigure(near, {
    batchLaw: withDraws(EQ1_BATCH, 3),
    learningRateLaw: withDraws(EQ1_LR, 4),
    batchTargets: BATCH_TARGETS,
    learningRateTargets: LR_TARGETS,
    others: runs,
  });
  const panels = Array.from(el.children).filter((c) => c.tagName.toLowerCase() === "svg");
  assert.equal(panels.length, 2);
  for (const panel of panels) {
    assert.equal(panel.querySelectorAll('g[aria-label="area"]').length, 1, "one interval band per panel");
    assert.equal(panel.querySelectorAll('g[aria-label="line"]').length, 1, "one law line per panel");
    const grey = Array.from(panel.querySelectorAll('g[aria-label="dot"]')).find((g) => g.getAttribute("fill") === "#555");
    assert.equal(grey?.querySelectorAll("path, circle").length, near.length);
  }
  const svg = toSvgString(el);
  for (const label of ["7B: 9.4M", "67B: 18.9M", "7B: 4.2e-4", "67B: 3.2e-4"]) assert.ok(svg.includes(label), label);
  assertSvgSnapshot("hyperparamLaws", svg);
});

test("hyperparamLawsFigure(near, {band}) uses a precomputed band and draws no band without draws", () => {
  const near = nearOptimal(hyperparamRuns());
  const band = [1e17, 1e19].map((x) => ({ x, lo: 0.9 * EQ1_BATCH.coefficient * x ** EQ1_BATCH.exponent, hi: 1.1 * EQ1_BATCH.coefficient * x ** EQ1_BATCH.exponent }));
  const el = hyperparamLawsFigure(near, { batchLaw: EQ1_BATCH, batchBand: band, learningRateLaw: EQ1_LR });
  const [b, lr] = Array.from(el.children);
  assert.equal(b?.querySelectorAll('g[aria-label="area"] path').length, 1);
  assert.equal(lr?.querySelector('g[aria-label="area"] path')?.getAttribute("d") ?? "", "", "no draws → empty band");
});

test("hyperparamLawsFigure(near, {batchReference, learningRateReference}) adds a labelled grey reference line through the published law", () => {
  const near = nearOptimal(hyperparamRuns());
  const el = hyperparamLawsFigure(near, {
    batchLaw: EQ1_BATCH,
    learningRateLaw: EQ1_LR,
    batchReference: { coefficient: 0.292, exponent: 0.3271, label: "DeepSeek Eq. 1" },
    learningRateReference: { coefficient: 0.3118, exponent: -0.125, label: "DeepSeek Eq. 1" },
  });
  const panels = Array.from(el.children).filter((c) => c.tagName.toLowerCase() === "svg");
  for (const panel of panels) {
    const lines = Array.from(panel.querySelectorAll('g[aria-label="line"]'));
    assert.equal(lines.length, 2, "the fitted law and the reference");
    const reference = lines.find((g) => g.getAttribute("stroke") === "#777");
    assert.ok(reference, "a grey reference line");
    assert.equal(Array.from(panel.querySelectorAll("text")).filter((t) => t.textContent === "DeepSeek Eq. 1").length, 1);
  }
  // Without the option nothing extra is drawn.
  const plain = hyperparamLawsFigure(near, { batchLaw: EQ1_BATCH, learningRateLaw: EQ1_LR });
  assert.ok(!toSvgString(plain).includes("DeepSeek Eq. 1"));
});
