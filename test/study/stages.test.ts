import assert from "node:assert/strict";
import { test } from "node:test";
import { loadSpec } from "../../lib/sweep/load";
import { expandSpec } from "../../lib/sweep/expand";
import { chooseLaws, HELD_OUT_MIN_FACTOR, stageByName, STUDY_STAGES, substituteLaws } from "../../lib/study/stages";
import { ConfigError } from "../../lib/util/errors";

/**
 * The study's specs are parsed and expanded by test/experiments.test.ts (it globs experiments/*);
 * here: that they meet the issue's design (budgets, spans, grid sizes, held-out factor), and the
 * pure law choice and substitution that carries fitted laws from one stage to the next.
 */

const decades = (b: readonly number[]): number => Math.log10(Math.max(...b) / Math.min(...b));

test("study specs: ≥ 4 hyperparameter budgets over ≥ 1.5 decades, ≥ 5 IsoFLOP budgets with ≥ 7 scales each, held-out ≥ 3× the largest", async () => {
  const hp = (await loadSpec("study-hyperparams")).spec;
  assert.ok(hp.budgets.length >= 4 && decades(hp.budgets) >= 1.5 - 1e-9, `budgets ${hp.budgets.join(", ")}`);
  const hpRuns = expandSpec(hp).runs;
  for (const b of hp.budgets) assert.ok(hpRuns.filter((r) => r.cell.budget === b).length >= 25, `budget ${b} has a fine B × η grid`);
  for (const name of ["study-isoflop", "study-isoflop-code"]) {
    const iso = (await loadSpec(name)).spec;
    assert.ok(iso.budgets.length >= 5 && decades(iso.budgets) >= 1.5, `${name} budgets`);
    const runs = expandSpec(iso).runs;
    for (const b of iso.budgets) {
      const scales = new Set(runs.filter((r) => r.cell.budget === b).map((r) => r.modelScale));
      assert.ok(scales.size >= 7, `${name} budget ${b}: ${scales.size} distinct model scales`);
    }
    const largest = Math.max(...iso.budgets);
    for (const v of ["study-verify", "study-verify-scale"]) {
      for (const b of (await loadSpec(v)).spec.budgets) assert.ok(b >= HELD_OUT_MIN_FACTOR * largest, `${v} budget ${b} vs ${largest}`);
    }
  }
  assert.equal((await loadSpec("study-isoflop-code")).spec.corpus, "ts-code");
  // The noise stage repeats seeds at every stage-1 budget.
  const noise = (await loadSpec("study-noise")).spec;
  assert.deepEqual(noise.budgets, hp.budgets);
  assert.ok(noise.seeds.length >= 3, `${noise.seeds.length} seeds`);
});

test("chooseLaws(stage, provided) takes a law from its provider when that fit is ok or warning, falls back when it failed or is missing, and says why", () => {
  const verify = stageByName("verify");
  const ok = chooseLaws(verify, { hyperparams: { status: "ok", file: "/r/hp/laws.json" }, isoflop: { status: "failed", file: "/r/iso/laws.json", note: "budget 1e11: outside-range" } });
  assert.deepEqual(ok.map((c) => [c.law, c.source, c.ref]), [["batch", "fitted", "/r/hp/laws.json"], ["learningRate", "fitted", "/r/hp/laws.json"], ["modelScale", "spec", "deepseek"]]);
  assert.match(ok[2]!.reason, /status failed \(budget 1e11: outside-range\)/);
  // A fit with warnings is used (Eq. 1/4 would be a 6+-decade extrapolation), and the warning is kept in the reason.
  const warned = chooseLaws(verify, { hyperparams: { status: "warning", file: "/r/hp/laws.json", note: "only 4 points" }, isoflop: { status: null, file: "/r/iso/laws.json", note: "no runs" } });
  assert.deepEqual(warned.map((c) => [c.law, c.source]), [["batch", "fitted"], ["learningRate", "fitted"], ["modelScale", "spec"]]);
  assert.match(warned[0]!.reason, /status warning \(only 4 points\); used/);
  assert.match(warned[2]!.reason, /has no fit \(no runs\)/);
  assert.match(chooseLaws(verify, {})[0]!.reason, /has not been analysed/);
  assert.deepEqual(chooseLaws(stageByName("hyperparams"), {}), []);
  assert.throws(() => stageByName("isoflops"), (e: unknown) => e instanceof ConfigError && /--stage/.test(e.message));
  assert.deepEqual(STUDY_STAGES.map((s) => s.name), ["hyperparams", "isoflop", "isoflop-code", "verify", "verify-scale", "noise"]);
  assert.deepEqual(STUDY_STAGES.filter((s) => s.kind === "noise").map((s) => s.name), ["noise"], "only the noise stage is left unfitted");
});

test("substituteLaws(spec, choices) points each chosen law field at the fitted file and leaves the rest", () => {
  const fitted = (law: "batch" | "learningRate" | "modelScale") => ({ law, source: "fitted" as const, ref: "/fits/laws.json", reason: "" });
  const hp = { name: "x", design: { kind: "hyperparams", modelScale: { law: "deepseek" }, batchTokens: { law: "deepseek", factors: [1] }, learningRate: { values: [0.01] } } };
  const out = substituteLaws(hp, [fitted("batch"), fitted("learningRate"), { law: "modelScale", source: "spec", ref: "deepseek", reason: "" }]) as typeof hp;
  assert.deepEqual(out.design, { kind: "hyperparams", modelScale: { law: "deepseek" }, batchTokens: { law: "/fits/laws.json", factors: [1] }, learningRate: { values: [0.01] } });
  assert.equal(hp.design.batchTokens.law, "deepseek", "the input is not mutated");
  const iso = { name: "y", design: { kind: "isoflop", centre: { law: "deepseek", factor: 1 }, count: 3, span: 4, hyperparams: "deepseek" } };
  const isoOut = substituteLaws(iso, [fitted("batch"), fitted("learningRate"), { ...fitted("modelScale"), ref: "/iso/laws.json" }]) as typeof iso;
  assert.deepEqual(isoOut.design, { kind: "isoflop", centre: { law: "/iso/laws.json", factor: 1 }, count: 3, span: 4, hyperparams: "/fits/laws.json" });
  assert.throws(() => substituteLaws(iso, [fitted("batch"), { ...fitted("learningRate"), ref: "/other.json" }]), (e: unknown) => e instanceof ConfigError && /design\.hyperparams/.test(e.message));
});
