import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeHyperparams } from "../../lib/analysis/hyperparams";
import { analyzeIsoflop } from "../../lib/analysis/isoflop";
import { fittedLaws, lawsOf } from "../../lib/analysis/laws";
import { loadLaws, parseLaws } from "../../lib/laws/lawsFile";
import { predict } from "../../lib/predict/predict";
import { hyperparamRuns, isoflopRuns, TRUE_LAWS } from "./synthetic";

/** Predictions of an exactly recovered law, 6 decades beyond the data (ln C error × 14 ≈ 1e-8 relative). */
const EXTRAPOLATION_REL = 1e-6;

const sources = [
  { experiment: "syn-hp", analysis: analyzeHyperparams(hyperparamRuns(), { resamples: 100 }) },
  { experiment: "syn-iso", analysis: analyzeIsoflop(isoflopRuns(), { resamples: 100 }) },
];

test("fittedLaws(sources) round-trips through JSON, parseLaws and predict to the true laws at 1e23 FLOPs", () => {
  const fitted = fittedLaws(sources)!;
  const laws = parseLaws(JSON.parse(JSON.stringify(fitted)), "laws.json");
  const c = 1e23;
  const p = predict({ compute: c }, { laws });
  const truth = (l: { coefficient: number; exponent: number }): number => l.coefficient * c ** l.exponent;
  assert.ok(Math.abs(p.batchTokens! / truth(TRUE_LAWS.batch) - 1) < EXTRAPOLATION_REL);
  assert.ok(Math.abs(p.learningRate! / truth(TRUE_LAWS.learningRate) - 1) < EXTRAPOLATION_REL);
  assert.ok(Math.abs(p.modelScale! / truth(TRUE_LAWS.modelScale) - 1) < EXTRAPOLATION_REL);
  assert.ok(Math.abs((p.tokens! * p.modelScale!) / c - 1) < EXTRAPOLATION_REL, "M_opt · D_opt = C");
  // The draws travel with the file, so the prediction carries intervals around the point value.
  for (const k of ["batchTokens", "learningRate", "modelScale", "tokens"] as const) {
    const iv = p.intervals[k];
    assert.ok(iv && iv[0] <= p[k]! * (1 + EXTRAPOLATION_REL) && p[k]! <= iv[1] * (1 + EXTRAPOLATION_REL), k);
  }
});

test("fittedLaws(sources) lists each source's experiment, kind, status and run keys", () => {
  const fitted = fittedLaws(sources)!;
  assert.deepEqual(fitted.sources.map((s) => [s.experiment, s.kind, s.keys.length]), [["syn-hp", "hyperparams", 125], ["syn-iso", "isoflop", 35]]);
  // The synthetic grid steps by 2× so only its centre is near-optimal: each budget gives one cell, which the status says.
  assert.equal(fitted.status, "warning");
  const hp = sources[0]!.analysis;
  assert.ok(hp.kind === "hyperparams" && hp.fit!.warnings.some((w) => /5 of 5 budgets .* give 1 near-optimal run/.test(w)), "the warning names the law and why");
});

test("loadLaws(path) reads a fitted laws file as `scaling predict --laws FILE` does", () => {
  const text = JSON.stringify(fittedLaws(sources));
  const laws = loadLaws("results/x/fits/laws.json", () => text);
  assert.deepEqual(laws, lawsOf(fittedLaws(sources)!));
  assert.ok(laws.batch && laws.modelScale);
});

test("fittedLaws(sources) is null when no source could be fitted", () => {
  assert.equal(fittedLaws([{ experiment: "x", analysis: analyzeIsoflop(isoflopRuns([1e18]), { resamples: 0 }) }]), null);
});
