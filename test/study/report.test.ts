import assert from "node:assert/strict";
import { test } from "node:test";
import type { LossCurveAnalysis } from "../../lib/analysis/isoflop";
import { deepseekLaws } from "../../lib/laws/lawsFile";
import { seedNoise } from "../../lib/study/noise";
import { studyReport } from "../../lib/study/report";
import { studySummary } from "../../lib/study/summary";
import { verifyHeldOut } from "../../lib/study/verification";

/**
 * The Markdown report carries the JSON's numbers into tables. Built from the paper's own laws (so
 * the prediction rows are known: Eq. 1's 7B batch 9.236e+6 tokens against Table 2's 9.437e+6) and
 * a held-out grid whose best run is the predicted one.
 */
test("studyReport renders the predictions, the verification and the noise as Markdown tables", () => {
  const summary = studySummary({
    hyperparams: { experiment: "hp", analysis: null },
    isoflop: { experiment: "iso", analysis: null },
    isoflopCode: { experiment: "iso-code", analysis: null },
    fittedLaws: null,
    noise: seedNoise([1, 2].map((seed) => ({ compute: 1e11, modelScale: 1e5, tokens: 1e6, batchTokens: 384, learningRate: 0.005, loss: 2.7 + 0.01 * seed, status: "ok" })), 0.0025),
    // Two grid cells × 4 seeds at ±1% of 2 (sd 1.155% of one run, 0.577% of a 4-seed mean).
    gridNoise: seedNoise([384, 768].flatMap((batchTokens) => [-1, -1, 1, 1].map((s) => ({ compute: 1e11, modelScale: 1e5, tokens: 1e6, batchTokens, learningRate: 0.005, loss: 2 + 0.02 * s, status: "ok" }))), 0.0025),
  });
  const c = 3.2e12;
  const b = deepseekLaws.batch!.coefficient * c ** deepseekLaws.batch!.exponent;
  const lr = deepseekLaws.learningRate!.coefficient * c ** deepseekLaws.learningRate!.exponent;
  const grid = [1, 2].map((f) => ({ compute: c, modelScale: 6e5, tokens: c / 6e5, batchTokens: b * f, learningRate: lr, loss: 2.2 * f, status: "ok", key: `k${f}` }));
  const verification = verifyHeldOut({ heldOutCompute: c, laws: deepseekLaws, lawSources: { batch: "deepseek" }, lossCurve: null as LossCurveAnalysis | null, fittedBudgets: { hyperparams: [1e11, 1e12] }, gridPoints: grid, scalePoints: [] });
  const md = studyReport(summary, verification);
  assert.match(md, /^# Study results \(generated\)/);
  assert.match(md, /\| DeepSeek LLM 7B \| DeepSeek Eq\. 1\/4 \| B \(tokens\) \| 9\.236e\+6 \| — \| .* \| 9\.437e\+6 \| 1\.02 \| — \|/);
  assert.match(md, /## Held-out verification at C = 3\.200e\+12 FLOPs/);
  assert.match(md, /\| \(B, η\) \| predicted run B .*: loss 2\.2, 0\.00% above the grid's best \(2 runs\) \| near-optimal: yes; inside band .*: yes; best cell B .* inside the prediction intervals: B —, η — \|/, "the paper's laws have no prediction interval");
  assert.match(md, /- M not checked: no ok run in the held-out M profile/);
  // Two seeds 0.01 apart around 2.715: sd 0.00707 → 0.26% of the mean.
  assert.match(md, /\| 1\.0e\+11 \| 1\.000e\+5 \| 384 \| 0\.005 \| 2 \| 2\.715 \| 0\.26% \| 0\.37% \|/);
  assert.match(md, /Pooled relative sd 0\.26% against the near-optimal threshold 0\.25% \(ratio 1\.04\)/);
  assert.match(md, /\| 1\.0e\+11 \| 2 \| 8 \| 1\.15% \| 0\.58% \| 2\.31 \|/);
  // Every table row has as many cells as its header.
  for (const block of md.split("\n\n").filter((b) => b.startsWith("|"))) {
    const widths = block.split("\n").filter((l) => l.startsWith("|")).map((l) => l.split(" | ").length);
    assert.ok(widths.every((w) => w === widths[0]), block.slice(0, 80));
  }
});
