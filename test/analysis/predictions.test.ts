import assert from "node:assert/strict";
import { test } from "node:test";
import { referencePredictions } from "../../lib/analysis/predictions";
import { deepseekLaws } from "../../lib/laws/lawsFile";
import { DEEPSEEK_FIGURE_ANNOTATIONS } from "../../lib/laws/reference";

/** Figure 3 prints the Eq. 1 batch to 0.1M tokens. */
const FIGURE3_PRECISION_TOKENS = DEEPSEEK_FIGURE_ANNOTATIONS.figure3BatchPrecisionTokens;

test("referencePredictions([paper]) reproduces Figure 3's 9.2M / 19.7M-token batches against Table 2's", () => {
  const rows = referencePredictions([{ label: "paper", laws: deepseekLaws }]);
  assert.equal(rows.length, 8, "2 models × 4 quantities, no loss row without an L(C)");
  const batch = (model: string) => rows.find((r) => r.model === model && r.quantity === "batchTokens")!;
  for (const [model, printed] of Object.entries(DEEPSEEK_FIGURE_ANNOTATIONS.figure3BatchTokens)) {
    assert.ok(Math.abs(batch(model).predicted! - printed) <= FIGURE3_PRECISION_TOKENS / 2, `${model}: ${batch(model).predicted}`);
  }
  // Table 2: 2304 and 4608 sequences of 4096 tokens.
  assert.equal(batch("DeepSeek LLM 7B").table2, 2304 * 4096);
  assert.equal(batch("DeepSeek LLM 67B").table2, 4608 * 4096);
  const r = batch("DeepSeek LLM 7B");
  assert.equal(r.ratio, r.table2! / r.predicted!);
  assert.equal(r.interval, null, "the paper publishes no intervals");
  assert.equal(r.table2Inside, null);
});

test("referencePredictions(sets) flags whether Table 2 lies inside a law's interval", () => {
  const wide = { ...deepseekLaws, learningRate: { coefficient: 0.3118, exponent: -0.125, interval: { coefficient: [0.2, 0.5] as [number, number], exponent: [-0.13, -0.12] as [number, number] } } };
  const narrow = { ...deepseekLaws, learningRate: { coefficient: 0.3118, exponent: -0.125, interval: { coefficient: [0.3118, 0.3118] as [number, number], exponent: [-0.1, -0.1] as [number, number] } } };
  const rows = referencePredictions([{ label: "wide", laws: wide }, { label: "narrow", laws: narrow }]).filter((r) => r.quantity === "learningRate" && r.model === "DeepSeek LLM 7B");
  assert.deepEqual(rows.map((r) => [r.laws, r.table2Inside]), [["wide", true], ["narrow", false]]);
});

test("referencePredictions(sets) adds a loss row from the set's L(C), with no Table 2 value", () => {
  const lossCurve = { form: "power" as const, points: [], params: { E: 0, A: 10, alpha: 0.05 }, intervals: { E: [0, 0] as [number, number], A: [10, 10] as [number, number], alpha: [0.05, 0.05] as [number, number] }, status: "ok" as const, warnings: [], method: "test" };
  const rows = referencePredictions([{ label: "x", laws: deepseekLaws, lossCurve }]);
  const loss = rows.filter((r) => r.quantity === "loss");
  assert.equal(loss.length, 2);
  for (const r of loss) {
    assert.equal(r.table2, null);
    assert.ok(Math.abs(r.predicted! - 10 * r.compute ** -0.05) < 1e-12);
  }
});
