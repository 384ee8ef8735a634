import assert from "node:assert/strict";
import { test } from "node:test";
import { studentT } from "../../lib/fit/budgetLevel";
import { fitHyperparams } from "../../lib/fit/hyperparams";
import { fitIsoflop } from "../../lib/fit/isoflop";
import { fitPowerLawGrouped, predictPowerLaw } from "../../lib/fit/powerLaw";
import type { PowerLawFit, RunPoint } from "../../lib/fit/types";
import { createRng, type Rng } from "../../lib/util/random";

/**
 * Hidden truth with the structure real studies have: every budget's optimum sits off the law by a
 * log-normal offset (between-budget scatter larger than run noise), each budget mixes two models at one
 * compute (each with its own optimum and loss level), and the (B, η) grid is laid around the law's
 * prediction, as a lab would lay it. Over ≥ 200 replications, the 95% law intervals must cover the true
 * exponents and the prediction intervals a new budget's true optimum 90–99% of the time, and must not be
 * padded: median width ≤ 2× the width that calibration needs (the 95th percentile of the miss, ×2).
 */

/** Spec: 95% intervals cover the truth 90–99% of the time (binomial sd at 200 replications ≈ 1.5%). */
const COVERAGE = [0.9, 0.99] as const;
/** Spec: median interval width at most twice the calibrated width. */
const MAX_WIDTH_OVER_CALIBRATED = 2;
const REPLICATIONS = 200;
/** Draws per law: enough for stable 2.5/97.5% quantiles of a t on 4 degrees of freedom. */
const DRAWS = 400;
const TRUE = { batch: { k: 0.292, a: 0.3271 }, learningRate: { k: 0.3118, a: -0.125 } };
/** Six budgets a half-decade apart, and a new one 4× beyond the largest, where the prediction is judged. */
const BUDGETS = [1e17, 3e17, 9e17, 2.7e18, 8.1e18, 2.43e19];
const NEW_BUDGET = 1e20;
/** Between-budget sd of ln B_opt and ln η_opt (the scatter the old intervals missed), and each model's shift off its budget's optimum. */
const SCATTER = { batch: 0.25, learningRate: 0.2 }, MODEL_SHIFT = 0.1;
/** Loss bowl curvature per ln², run noise (0.1% of loss), grid step (ln units; 7 points per axis). */
const KAPPA = 0.02, RUN_NOISE = 0.001, STEP = 0.35;

const law = (l: { k: number; a: number }, c: number): number => l.k * c ** l.a;

/** One synthetic study: runs, and each law's offsets (so a new budget's truth is drawn the same way). */
function study(rng: Rng, budgets: readonly number[]): RunPoint[] {
  const runs: RunPoint[] = [];
  for (const c of budgets) {
    const uB = SCATTER.batch * rng.normal(), uEta = SCATTER.learningRate * rng.normal();
    for (const [j, shift] of [-1, 1].entries()) {
      const modelScale = 1e8 * (c / 1e17) ** 0.5 * Math.exp(shift * 0.5);
      // The larger model sits 0.3% lower in loss at this compute (an IsoFLOP profile off centre), so clouds mix both.
      const base = 3 * c ** -0.05 * (1 + 0.003 * j);
      const bStar = Math.log(law(TRUE.batch, c)) + uB + MODEL_SHIFT * shift;
      const eStar = Math.log(law(TRUE.learningRate, c)) + uEta - MODEL_SHIFT * shift;
      for (let ib = -3; ib <= 3; ib++) for (let ie = -3; ie <= 3; ie++) {
        const lb = Math.log(law(TRUE.batch, c)) + ib * STEP, le = Math.log(law(TRUE.learningRate, c)) + ie * STEP;
        const loss = base * (1 + KAPPA * ((lb - bStar) ** 2 + (le - eStar) ** 2)) * Math.exp(RUN_NOISE * rng.normal());
        runs.push({ compute: c, modelScale, tokens: c / modelScale, batchTokens: Math.exp(lb), learningRate: Math.exp(le), loss, status: "ok" });
      }
    }
  }
  return runs;
}

interface Tally {
  law: number;
  prediction: number;
  lawWidths: number[];
  predWidths: number[];
  lawMisses: number[];
  predMisses: number[];
}
const tally = (): Tally => ({ law: 0, prediction: 0, lawWidths: [], predWidths: [], lawMisses: [], predMisses: [] });

function record(t: Tally, fit: PowerLawFit, trueExponent: number, newTruth: number): void {
  const [lo, hi] = fit.intervals.exponent;
  if (lo <= trueExponent && trueExponent <= hi) t.law++;
  t.lawWidths.push(hi - lo);
  t.lawMisses.push(Math.abs(fit.params.exponent - trueExponent));
  const p = predictPowerLaw(fit, NEW_BUDGET);
  const [plo, phi] = p.prediction ?? p.interval;
  if (plo <= newTruth && newTruth <= phi) t.prediction++;
  t.predWidths.push(Math.log(phi / plo));
  t.predMisses.push(Math.abs(Math.log(p.value / newTruth)));
}

const quantile = (v: readonly number[], q: number): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (v: readonly number[]): number => quantile(v, 0.5);
/** Median width over the width a calibrated 95% interval needs (twice the 95th percentile of the miss). */
const widthRatio = (widths: readonly number[], misses: readonly number[]): number => median(widths) / (2 * quantile(misses, 0.95));

function summary(name: string, t: Tally): { law: number; prediction: number; lawRatio: number; predRatio: number; line: string } {
  const law = t.law / REPLICATIONS, prediction = t.prediction / REPLICATIONS;
  const lawRatio = widthRatio(t.lawWidths, t.lawMisses), predRatio = widthRatio(t.predWidths, t.predMisses);
  return { law, prediction, lawRatio, predRatio, line: `${name}: exponent coverage ${law} (median width ${median(t.lawWidths).toFixed(4)}, ${lawRatio.toFixed(2)}× calibrated); new-budget prediction coverage ${prediction} (median ln width ${median(t.predWidths).toFixed(3)}, ${predRatio.toFixed(2)}× calibrated)` };
}

test("studentT(p, ν) matches published quantiles", () => {
  // Student-t tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), 4 decimals.
  const TABLE: [number, number][] = [[1, 12.7062], [2, 4.3027], [3, 3.1824], [4, 2.7764], [10, 2.2281], [30, 2.0423]];
  for (const [nu, q] of TABLE) assert.ok(Math.abs(studentT(0.975, nu) - q) < 5e-4, `ν = ${nu}: ${studentT(0.975, nu)} vs ${q}`);
  assert.ok(Math.abs(studentT(0.025, 4) + 2.7764) < 5e-4, "symmetric");
});

test("fitHyperparams on clustered studies (6 budgets scattering about the law, 2 models per budget): law and prediction intervals cover the truth, unpadded", (t) => {
  const rng = createRng(13);
  const tallies = { batch: tally(), learningRate: tally() };
  const old = { batch: 0, learningRate: 0 };
  for (let rep = 0; rep < REPLICATIONS; rep++) {
    const runs = study(rng, BUDGETS);
    const fit = fitHyperparams(runs, { resamples: DRAWS, seed: rep });
    for (const name of ["batch", "learningRate"] as const) {
      const truth = law(TRUE[name], NEW_BUDGET) * Math.exp(SCATTER[name] * rng.normal());
      record(tallies[name], fit[name], TRUE[name].a, truth);
      // The within-budget bootstrap the fits used before, on the same cloud, for the record.
      const kept = fit.nearOptimal.kept;
      const before = fitPowerLawGrouped(kept.map((p) => p.compute), kept.map((p) => p[name === "batch" ? "batchTokens" : "learningRate"]), kept.map((p) => p.compute), { resamples: 200, seed: rep });
      if (before.intervals.exponent[0] <= TRUE[name].a && TRUE[name].a <= before.intervals.exponent[1]) old[name]++;
    }
  }
  for (const name of ["batch", "learningRate"] as const) {
    const s = summary(name, tallies[name]);
    t.diagnostic(`${s.line}; within-budget bootstrap (before): exponent coverage ${old[name] / REPLICATIONS}`);
    assert.ok(s.law >= COVERAGE[0] && s.law <= COVERAGE[1], s.line);
    assert.ok(s.prediction >= COVERAGE[0] && s.prediction <= COVERAGE[1], s.line);
    assert.ok(s.lawRatio <= MAX_WIDTH_OVER_CALIBRATED && s.predRatio <= MAX_WIDTH_OVER_CALIBRATED, s.line);
  }
});

test("with 3 and 4 budgets the t correction keeps coverage (widths are what 1–2 degrees of freedom allow, reported)", (t) => {
  for (const count of [3, 4]) {
    const rng = createRng(100 + count);
    const tallies = { batch: tally(), learningRate: tally() };
    for (let rep = 0; rep < REPLICATIONS; rep++) {
      const fit = fitHyperparams(study(rng, BUDGETS.slice(0, count)), { resamples: DRAWS, seed: rep });
      for (const name of ["batch", "learningRate"] as const) {
        record(tallies[name], fit[name], TRUE[name].a, law(TRUE[name], NEW_BUDGET) * Math.exp(SCATTER[name] * rng.normal()));
        // 1 degree of freedom is a Cauchy: draws whose coefficient overflows are dropped with their offsets, so a laws file stays finite and paired.
        const f = fit[name];
        assert.ok(f.draws.coefficient.every((k) => k > 0 && Number.isFinite(k)) && f.predictionDraws!.length === f.draws.coefficient.length);
      }
    }
    for (const name of ["batch", "learningRate"] as const) {
      const s = summary(`${count} budgets, ${name}`, tallies[name]);
      t.diagnostic(s.line);
      assert.ok(s.law >= COVERAGE[0] && s.law <= COVERAGE[1], s.line);
      assert.ok(s.prediction >= COVERAGE[0] && s.prediction <= COVERAGE[1], s.line);
    }
  }
});

/** IsoFLOP profiles: 7 model scales per budget laid around the law's M_opt, each budget's vertex off it by a log-normal offset. */
const M_LAW = { k: 0.1715, a: 0.5243 }, M_SCATTER = 0.2, PROFILE_NOISE = 0.003;

function isoflopStudy(rng: Rng, budgets: readonly number[]): RunPoint[] {
  return budgets.flatMap((c) => {
    const u = M_SCATTER * rng.normal();
    return [-1.5, -1, -0.5, 0, 0.5, 1, 1.5].map((d) => {
      const modelScale = law(M_LAW, c) * Math.exp(d);
      const loss = (3 * c ** -0.05 + 0.05 * (d - u) ** 2) * Math.exp(PROFILE_NOISE * rng.normal());
      return { compute: c, modelScale, tokens: c / modelScale, batchTokens: 1e6, learningRate: 1e-3, loss, status: "ok" };
    });
  });
}

test("fitIsoflop on clustered studies (vertices scattering about the law): M_opt and D_opt law and prediction intervals cover, unpadded", (t) => {
  const rng = createRng(17);
  const tallies = { modelScale: tally(), tokens: tally() };
  for (let rep = 0; rep < REPLICATIONS; rep++) {
    const fit = fitIsoflop(isoflopStudy(rng, BUDGETS), { resamples: DRAWS, seed: rep });
    const mNew = law(M_LAW, NEW_BUDGET) * Math.exp(M_SCATTER * rng.normal());
    record(tallies.modelScale, fit.modelScale, M_LAW.a, mNew);
    record(tallies.tokens, fit.tokens, 1 - M_LAW.a, NEW_BUDGET / mNew);
  }
  for (const name of ["modelScale", "tokens"] as const) {
    const s = summary(name, tallies[name]);
    t.diagnostic(s.line);
    assert.ok(s.law >= COVERAGE[0] && s.law <= COVERAGE[1], s.line);
    assert.ok(s.prediction >= COVERAGE[0] && s.prediction <= COVERAGE[1], s.line);
    assert.ok(s.lawRatio <= MAX_WIDTH_OVER_CALIBRATED && s.predRatio <= MAX_WIDTH_OVER_CALIBRATED, s.line);
  }
});
