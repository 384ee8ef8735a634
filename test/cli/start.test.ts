import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runQuickStudy } from "../../lib/analysis/study";
import { parseLaws } from "../../lib/laws/lawsFile";
import type { SweepSpecInput } from "../../lib/sweep/spec";

/**
 * The quick study end to end on real training, with specs smaller than `npm start`'s (the full
 * tiny-hyperparams + tiny-isoflop study takes several minutes on 2 cores): 4 + 6 runs of the
 * smallest shapes, then the same call again, which must reuse every run and only refit.
 */
const common = { corpus: "en-prose", backend: "wasm" as const, seq: 64, vocab: 256, family: { headSize: 8, aspectRatio: 16 }, seeds: [0] as [number], eval: { windows: 8, points: 1 } };
const hyperparamsSpec = {
  ...common,
  name: "start-test-hp",
  budgets: [6e8, 1.2e9],
  design: { kind: "hyperparams", modelScale: 11280, batchTokens: { values: [128] }, learningRate: { law: "deepseek", factors: [0.5, 2] } },
} satisfies SweepSpecInput;
const isoflopSpec = {
  ...common,
  name: "start-test-iso",
  budgets: [1.2e9, 2.4e9],
  design: { kind: "isoflop", centre: [2.2e4, 3.3e4], count: 3, span: 9, hyperparams: "deepseek" },
} satisfies SweepSpecInput;

test("runQuickStudy(config) sweeps, fits, draws and predicts, then reuses every run on a second call", async () => {
  const root = mkdtempSync(join(tmpdir(), "quick-study-"));
  try {
    const config = { hyperparamsSpec, isoflopSpec, resultsDir: root, workers: 2, resamples: 50 };
    const first = await runQuickStudy(config);
    assert.equal(first.interrupted, false);
    assert.equal(first.hyperparams.sweep.failed + first.isoflop.sweep.failed, 0);
    assert.equal(first.hyperparams.sweep.trained, 4);
    assert.ok(first.isoflop.sweep.trained >= 4);
    // Two budgets with one near-optimal run each: the fit warns, so Eq. 1 sets the IsoFLOP runs' B and η.
    assert.equal(first.hyperparams.analysis.hyperparams?.fit?.status, "warning");
    assert.equal(first.isoflopHyperparams.source, "deepseek");
    assert.match(first.isoflopHyperparams.reason, /status warning/);
    assert.equal(first.isoflop.analysis.experiment, "start-test-iso");
    for (const f of ["start-test-hp/fits/hyperparams.json", "start-test-hp/fits/laws.json", "start-test-hp/figures/hyperparam-grid.svg", "start-test-iso/fits/isoflop.json", "start-test-iso/figures/isoflop-curves.png", "start-test-hp/runs.csv"]) {
      assert.ok(existsSync(join(root, f)), f);
    }
    const paper = first.predictions.filter((r) => r.laws === "DeepSeek Eq. 1/4");
    assert.equal(paper.length, 8);
    assert.ok(first.files.laws, "the hyperparameter laws at least were fitted");
    const laws = parseLaws(JSON.parse(readFileSync(first.files.laws!, "utf8")));
    assert.ok(laws.batch && laws.learningRate);
    assert.ok(first.predictions.some((r) => r.laws === "fitted (quick study)" && r.quantity === "batchTokens" && r.predicted! > 0));

    const second = await runQuickStudy(config);
    assert.equal(second.hyperparams.sweep.trained + second.isoflop.sweep.trained, 0, "a second call trains nothing");
    assert.equal(second.hyperparams.sweep.skipped, 4);
    assert.deepEqual(second.hyperparams.analysis.hyperparams?.keys, first.hyperparams.analysis.hyperparams?.keys);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("scaling start on a results root that holds every run of the tiny specs only refits, and prints where results landed", () => {
  const root = mkdtempSync(join(tmpdir(), "start-cli-"));
  try {
    // The committed runs of the tiny specs: what `npm start` finds on a fresh clone. If a spec changes
    // without its runs being regenerated, this test trains and fails on the counts below.
    for (const exp of ["tiny-hyperparams", "tiny-isoflop"]) cpSync(join("results", exp, "runs"), join(root, exp, "runs"), { recursive: true });
    const bare = spawnSync(process.execPath, ["bin/scaling.mjs", "start", "--results", root, "--resamples", "100"], { encoding: "utf8" });
    assert.equal(bare.status, 0, bare.stderr);
    assert.match(bare.stdout, /^No study results under .* yet: `node bin\/scaling\.mjs study --workers 2` trains it/);
    // With the committed study beside them, the first screen leads with the study's laws and the held-out check.
    mkdirSync(join(root, "study"));
    for (const f of ["summary.json", "verification.json"]) cpSync(join("results", "study", f), join(root, "study", f));
    const run = spawnSync(process.execPath, ["bin/scaling.mjs", "start", "--results", root, "--resamples", "100"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const first = run.stdout.split("\n");
    assert.match(first[0] ?? "", /^What this project found: DeepSeek LLM §3 reproduced/);
    const summary = JSON.parse(readFileSync("results/study/summary.json", "utf8")) as { laws: { law: string; exponent: number; exponentInterval: [number, number] }[] };
    const batch = summary.laws.find((l) => l.law === "batch")!;
    const batchRow = first.find((l) => l.startsWith("B_opt (tokens)")) ?? "";
    // The table prints negative numbers with a typographic minus (U+2212).
    const shown = (v: number): string => v.toPrecision(3).replace("-", "\u2212");
    assert.ok(batchRow.includes(`C^${shown(batch.exponent)}`) && batchRow.includes(`[${shown(batch.exponentInterval[0])}, ${shown(batch.exponentInterval[1])}]`), batchRow);
    assert.ok(batchRow.includes("0.2920·C^0.3271"), "the paper's law beside it");
    assert.ok(first.slice(0, 15).some((l) => /^Held-out check at C = 3\.20e\+12 FLOPs/.test(l)), "verification within the first 15 lines");
    assert.match(run.stdout, /the paper's own laws put Table 2's M at 0\.24× \(7B\) and 0\.71× \(67B\) of M_opt/);
    assert.match(run.stdout, /^The quick study, a pipeline demonstration: 60 tiny runs/m);
    assert.match(run.stdout, /^tiny-hyperparams: 0 trained, 45 reused, 0 failed, 0 diverged/m);
    assert.match(run.stdout, /^tiny-isoflop: 0 trained, 15 reused, 0 failed, 0 diverged/m);
    assert.match(run.stdout, /IsoFLOP batch size and learning rate: DeepSeek Eq\. 1 \(the hyperparameter fit of tiny-hyperparams has status warning/);
    // Table 2's 7B batch (2304 × 4096 tokens) against Eq. 1's 9.236e+6 at its budget.
    assert.match(run.stdout, /7B {2}DeepSeek Eq\. 1\/4 +batch \(tokens\) +9\.437e\+6 +9\.236e\+6/);
    assert.match(run.stdout, /figures: .*tiny-isoflop\/figures\/isoflop-curves\.svg/);
    assert.match(run.stdout, /study: {3}.*quick-study\/laws\.json, .*quick-study\/predictions\.json/);
    for (const f of ["quick-study/laws.json", "quick-study/predictions.json", "tiny-hyperparams/runs.csv", "tiny-isoflop/figures/loss-compute.png"]) assert.ok(existsSync(join(root, f)), f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
