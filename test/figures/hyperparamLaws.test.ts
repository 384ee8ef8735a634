import assert from "node:assert/strict";
import { test } from "node:test";
import { hyperparamLawsFigure } from "../../lib/figures/hyperparamLaws";
import { toSvgString } from "../../lib/figures/render";
import { BATCH_TARGETS, EQ1_BATCH, EQ1_LR, LR_TARGETS, hyperparamRuns, nearOptimal, withDraws } from "./fixtures";
import { overlappingTexts } from "./overlap";
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
  assert.equal(panels.length, 4, "B and η, each over the runs' budgets and extrapolated");
  for (const panel of panels) {
    assert.equal(panel.querySelectorAll('g[aria-label="area"]').length, 1, "one interval band per panel");
    assert.equal(panel.querySelectorAll('g[aria-label="line"]').length, 1, "one law line per panel");
    const grey = Array.from(panel.querySelectorAll('g[aria-label="dot"]')).find((g) => g.getAttribute("fill") === "#555");
    assert.equal(grey?.querySelectorAll("path, circle").length, near.length);
  }
  const [bData, bExtrapolated, lrData, lrExtrapolated] = panels.map((p) => Array.from(p.querySelectorAll("text")).map((t) => t.textContent ?? ""));
  // The data panels end at the runs' largest budget and say so in the legend, with the fitted formula.
  assert.ok(bData?.includes("fitted: B = 0.292·C^0.327") && lrData?.includes("fitted: η = 0.312·C^−0.125"), "formula in the legend");
  for (const texts of [bData, lrData]) assert.ok(texts?.includes("near-optimal run (fitted)") && texts.includes("other run") && texts.includes("95% band of the fitted law"));
  assert.ok(!bData?.includes("7B: 9.4M"), "targets only on the extrapolation panel");
  for (const label of ["7B: 9.4M", "67B: 18.9M"]) assert.ok(bExtrapolated?.includes(label), label);
  for (const label of ["7B: 4.2e-4", "67B: 3.2e-4"]) assert.ok(lrExtrapolated?.includes(label), label);
  assert.ok(bExtrapolated?.includes("fitted range"));
  assert.deepEqual(overlappingTexts(el), []);
  const svg = toSvgString(el);
  assertSvgSnapshot("hyperparamLaws", svg);
});

test("hyperparamLawsFigure(near, {band}) uses a precomputed band and draws no band without draws", () => {
  const near = nearOptimal(hyperparamRuns());
  const band = [1e17, 1e19].map((x) => ({ x, lo: 0.9 * EQ1_BATCH.coefficient * x ** EQ1_BATCH.exponent, hi: 1.1 * EQ1_BATCH.coefficient * x ** EQ1_BATCH.exponent }));
  const el = hyperparamLawsFigure(near, { batchLaw: EQ1_BATCH, batchBand: band, learningRateLaw: EQ1_LR });
  const [b, , lr] = Array.from(el.children);
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
  panels.forEach((panel, i) => {
    const lines = Array.from(panel.querySelectorAll('g[aria-label="line"]'));
    assert.equal(lines.length, 2, "the fitted law and the reference");
    const reference = lines.find((g) => g.getAttribute("stroke") === "#777");
    assert.ok(reference, "a grey reference line");
    const texts = Array.from(panel.querySelectorAll("text")).map((t) => t.textContent);
    // Data panels (0, 2) name the reference in the legend with its formula; extrapolation panels label the line.
    if (i % 2 === 0) assert.ok(texts.some((t) => /^DeepSeek Eq\. 1: (B = 0\.292·C\^0\.327|η = 0\.312·C\^−0\.125)$/.test(t ?? "")), texts.join("|"));
    else assert.equal(texts.filter((t) => t === "DeepSeek Eq. 1").length, 1);
  });
  // Without the option nothing extra is drawn.
  const plain = hyperparamLawsFigure(near, { batchLaw: EQ1_BATCH, learningRateLaw: EQ1_LR });
  assert.ok(!toSvgString(plain).includes("DeepSeek Eq. 1"));
});
