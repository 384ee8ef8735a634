import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { resolveSpecValue } from "../../lib/analysis/study";
import { DEEPSEEK_EQ1 } from "../../lib/laws/published";
import { expandSpec, SWEEP_CODE_VERSION, type RunPlan } from "../../lib/sweep/expand";
import { recordOf } from "../../lib/sweep/record";
import type { SweepSpecInput } from "../../lib/sweep/spec";
import { writeRecord } from "../../lib/sweep/store";
import { runStudy } from "../../lib/study/run";
import { ConfigError } from "../../lib/util/errors";

/**
 * The orchestration on a tiny study in a temporary results root. Stage 1's runs are pre-seeded as
 * synthetic records (a known optimum at 2× Eq. 1's batch and ½× its learning rate, exact quadratic
 * bowl), so its fit is ok and the runner must reuse them; the other stages train for real (14 tiny
 * runs, and 2 seeds of one cell for the noise stage). Then: laws flow from stage 1 into stage 2's B and η, the study files are written, and a
 * second call trains nothing.
 */
const common = { corpus: "en-prose", backend: "wasm" as const, seq: 64, vocab: 256, family: { headSize: 8, aspectRatio: 16 }, seeds: [0] as [number], eval: { windows: 8, points: 1 } };
const specs = {
  hyperparams: { ...common, name: "st-hp", budgets: [1e9, 4e9, 1.6e10], design: { kind: "hyperparams", modelScale: 11280, batchTokens: { law: "deepseek", factors: [1, 2, 4] }, learningRate: { law: "deepseek", factors: [0.25, 0.5, 1] } } },
  isoflop: { ...common, name: "st-iso", budgets: [1.2e9, 2.4e9], design: { kind: "isoflop", centre: [2.2e4, 3.3e4], count: 3, span: 9, hyperparams: "deepseek" } },
  "isoflop-code": { ...common, corpus: "ts-code", name: "st-iso-code", budgets: [1.2e9], design: { kind: "isoflop", centre: [2.2e4], count: 3, span: 9, hyperparams: "deepseek" } },
  verify: { ...common, name: "st-verify", budgets: [8e9], design: { kind: "hyperparams", modelScale: { law: "deepseek" }, batchTokens: { law: "deepseek", factors: [1] }, learningRate: { law: "deepseek", factors: [0.5, 1] } } },
  "verify-scale": { ...common, name: "st-verify-scale", budgets: [8e9], design: { kind: "isoflop", centre: { law: "deepseek" }, count: 3, span: 4, hyperparams: "deepseek" } },
  noise: { ...common, name: "st-noise", budgets: [1e9], seeds: [0, 1], design: { kind: "hyperparams", modelScale: 11280, batchTokens: { law: "deepseek", factors: [1] }, learningRate: { law: "deepseek", factors: [0.5] } } },
} satisfies Record<string, SweepSpecInput>;

/** The synthetic optimum of stage 1, as factors of Eq. 1. */
const TRUE_BATCH_FACTOR = 2, TRUE_LR_FACTOR = 0.5;
/** Loss rises 0.4% per (ln 2)² off the optimum: the 4 axis neighbours are near-optimal (0.19%), the diagonals not. */
const BOWL = 0.004;
/** Realised batches are whole sequences, so the fitted B law sits within this of the truth. */
const ROUNDING_TOLERANCE = 0.2;

function seedStage1(root: string, batchFactor = TRUE_BATCH_FACTOR, lrFactor = TRUE_LR_FACTOR): readonly RunPlan[] {
  const { runs } = expandSpec(resolveSpecValue(specs.hyperparams));
  for (const plan of runs) {
    const c = plan.cell.budget;
    const du = Math.log(plan.config.batchTokens / (batchFactor * DEEPSEEK_EQ1.batch.coefficient * c ** DEEPSEEK_EQ1.batch.exponent));
    const dv = Math.log(plan.config.learningRate / (lrFactor * DEEPSEEK_EQ1.learningRate.coefficient * c ** DEEPSEEK_EQ1.learningRate.exponent));
    const loss = 2 * (c / 1e9) ** -0.05 * (1 + BOWL * (du * du + dv * dv));
    const result = { schemaVersion: 1 as const, config: plan.config, status: "ok" as const, modelScale: plan.modelScale, compute: plan.realisedCompute, tokens: plan.config.tokens, steps: plan.steps, loss, bitsPerByte: loss, curve: [], evals: [], wallSeconds: 0, tokensPerSecond: 0, backend: { name: "synthetic", skipped: {} }, seed: 0 };
    writeRecord(root, recordOf(plan, result, SWEEP_CODE_VERSION, 1));
  }
  return runs;
}

test("runStudy(config) runs the stages in order, feeds stage 1's fitted B and η into stage 2, writes the study files, and resumes without training", async () => {
  const root = mkdtempSync(join(tmpdir(), "study-"));
  try {
    const seeded = seedStage1(root);
    const config = { specs, resultsDir: root, workers: 2, resamples: 50, png: false };
    const first = await runStudy(config);
    assert.equal(first.interrupted, false);
    assert.deepEqual(first.stages.map((s) => s.stage), ["hyperparams", "isoflop", "isoflop-code", "verify", "verify-scale", "noise"]);
    const [hp, iso, code, verify, scale, noise] = first.stages;
    assert.equal(hp!.sweep?.trained, 0, "the seeded stage-1 runs are reused");
    assert.equal(hp!.sweep?.skipped, seeded.length);
    assert.equal(hp!.analysis.hyperparams?.fit?.status, "ok", hp!.analysis.hyperparams?.fit?.warnings.join("; "));
    for (const s of [iso, code, verify, scale, noise]) assert.equal(s!.sweep?.failed, 0, s!.experiment);

    // Stage 2's B and η are the fitted laws' (≈ 2× and ½× Eq. 1), not Eq. 1's.
    const lawsFile = join(root, "st-hp", "fits", "laws.json");
    assert.deepEqual(iso!.lawChoices.map((c) => [c.law, c.source]), [["batch", "fitted"], ["learningRate", "fitted"]]);
    assert.ok(iso!.lawChoices.every((c) => c.ref.endsWith(join("st-hp", "fits", "laws.json"))));
    const fitted = JSON.parse(readFileSync(lawsFile, "utf8")) as { batch: { coefficient: number; exponent: number }; learningRate: { coefficient: number; exponent: number } };
    for (const p of iso!.points.isoflop) {
      const c = p.compute;
      const eq1Lr = DEEPSEEK_EQ1.learningRate.coefficient * c ** DEEPSEEK_EQ1.learningRate.exponent;
      assert.ok(Math.abs(p.learningRate / (fitted.learningRate.coefficient * c ** fitted.learningRate.exponent) - 1) < 1e-9, "η is the fitted law's");
      assert.ok(Math.abs(p.learningRate / (TRUE_LR_FACTOR * eq1Lr) - 1) < ROUNDING_TOLERANCE, `η ${p.learningRate} vs truth ${TRUE_LR_FACTOR * eq1Lr}`);
      const eq1B = DEEPSEEK_EQ1.batch.coefficient * c ** DEEPSEEK_EQ1.batch.exponent;
      assert.ok(Math.abs(p.batchTokens / (TRUE_BATCH_FACTOR * eq1B) - 1) < ROUNDING_TOLERANCE + 64 / p.batchTokens, `B ${p.batchTokens} vs truth ${TRUE_BATCH_FACTOR * eq1B}`);
    }
    // The held-out stages take B and η from stage 1 too.
    assert.equal(verify!.lawChoices.find((c) => c.law === "batch")?.source, "fitted");

    for (const f of ["stages", "verification", "summary"]) assert.ok(existsSync(first.files[f]!), f);
    // Every stage's runs.csv (the `scaling fit` contract): a header and one row per planned run.
    for (const s of first.stages) assert.equal(readFileSync(join(root, s.experiment, "runs.csv"), "utf8").trim().split("\n").length, 1 + s.planned, s.experiment);
    const v = JSON.parse(readFileSync(first.files.verification!, "utf8"));
    assert.equal(v.heldOutCompute, 8e9);
    assert.equal(v.lawSources.batch, "fitted");
    for (const field of ["predicted", "loss", "hyperparams", "modelScale", "notes"]) assert.ok(field in v, field);
    assert.equal(typeof v.hyperparams.insideBand, "boolean");
    assert.equal(typeof v.modelScale.insideRegion, "boolean");
    const summary = JSON.parse(readFileSync(first.files.summary!, "utf8"));
    const batchRow = summary.laws.find((r: { law: string }) => r.law === "batch");
    assert.equal(batchRow.paper.exponent, 0.3271);
    assert.ok(Math.abs(batchRow.exponent - 0.3271) < 0.05, `fitted batch exponent ${batchRow.exponent} on data built from Eq. 1's`);
    assert.ok(summary.predictions.some((r: { laws: string }) => r.laws === "fitted (study)"));
    // The noise stage is measured, not fitted: one cell, two seeds, no fits/ folder of its own.
    assert.equal(summary.noise.cells.length, 1);
    assert.equal(summary.noise.cells[0].runs, 2);
    assert.ok(summary.noise.cells[0].sd > 0, "two seeds of a real run differ");
    assert.equal(existsSync(join(root, "st-noise", "fits")), false);
    const report = readFileSync(first.files.report!, "utf8");
    assert.match(report, /\| B_opt \(tokens\) \| st-hp \| ok \|/);
    assert.match(report, /## Held-out verification at C = 8\.000e\+9 FLOPs/);

    const second = await runStudy(config);
    assert.equal(second.stages.reduce((t, s) => t + (s.sweep?.trained ?? 0), 0), 0, "a second call trains nothing");
    assert.deepEqual(second.stages.map((s) => s.sweep?.skipped), first.stages.map((s) => s.planned));
    assert.deepEqual(second.verification, first.verification);
    // Each stage that takes laws wrote what it was trained with.
    assert.deepEqual(first.stages.map((s) => existsSync(join(root, s.experiment, "laws-taken.json"))), [false, true, true, true, true, false]);

    // Stage 1 changes (its optimum moves to Eq. 1's own B and 2× less η): a refit keeps every later
    // stage's runs under the laws they were trained with, and says how far the laws moved.
    seedStage1(root, 1, TRUE_LR_FACTOR / 2);
    const refit = await runStudy({ ...config, mode: "refit" });
    const [, isoAfter, , verifyAfter] = refit.stages;
    assert.ok(isoAfter!.lawChoices.every((c) => c.ref === join(root, "st-iso", "laws-taken.json")));
    assert.deepEqual(isoAfter!.points.isoflop, iso!.points.isoflop);
    assert.deepEqual(refit.verification, first.verification, "the held-out check is judged against the laws it was planned with");
    for (const s of [isoAfter!, verifyAfter!]) {
      assert.equal(s.stale?.plannedNow, s.planned);
      assert.equal(s.stale?.storedNow, 0);
      // B: 2× → 1× Eq. 1, η: ½× → ¼×, each about 2× (the fits, not the truth, are compared).
      assert.ok(Math.abs(Math.log(s.stale!.shift.batch! / 2)) < 0.4 && Math.abs(Math.log(s.stale!.shift.learningRate! / 2)) < 0.4, JSON.stringify(s.stale));
    }
    assert.equal(refit.stages[5]!.stale, null, "the noise stage takes no laws");
    const stagesJson = JSON.parse(readFileSync(refit.files.stages!, "utf8")) as Array<{ stale: unknown }>;
    assert.deepEqual(stagesJson.map((s) => s.stale !== null), [false, true, true, true, true, false]);
    // A plan prices what `study` would train now: nothing for stage 1 and the noise stage, every run of the stale ones.
    const cost = { fixedSeconds: 1, perStepSeconds: 0, perTokenSeconds: 0, perFlopSeconds: 0 };
    const plan = await runStudy({ ...config, mode: "plan", cost });
    const toTrain = plan.stages.map((s) => s.estimate!.budgets.reduce((n, b) => n + b.runs, 0));
    assert.deepEqual(toTrain, [0, iso!.planned, code!.planned, verify!.planned, scale!.planned, 0]);
    assert.equal(plan.stages[1]!.estimate!.wallSeconds, Math.ceil(iso!.planned / 2), "1 s per run on 2 workers");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("runStudy(config) refuses a held-out budget under 3× the largest IsoFLOP budget before training anything", async () => {
  const root = mkdtempSync(join(tmpdir(), "study-bad-"));
  try {
    await assert.rejects(runStudy({ specs: { ...specs, verify: { ...specs.verify, budgets: [5e9] } }, resultsDir: root }), (e: unknown) => e instanceof ConfigError && /specs\.verify\.budgets\[0\]/.test(e.message));
    assert.equal(existsSync(join(root, "st-hp")), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
