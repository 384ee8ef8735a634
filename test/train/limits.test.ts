import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveTrainConfig } from "../../lib/train/validate";
import { MAX_STEPS } from "../../lib/train/limits";
import { ConfigError } from "../../lib/util/errors";

/** The sweep-sized run of README's `scaling train` example. */
const base = { shape: { layers: 2, dModel: 64, heads: 2, kvHeads: 2, ffn: 176, seq: 128, vocab: 256 }, tokens: 3e5, batchTokens: 4096, learningRate: 3e-3 };

/** The ConfigError of a config, its field and the largest value it names. */
function refusal(input: unknown): { path: string; largest: number; message: string } {
  try {
    resolveTrainConfig(input);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    const largest = Number(/(?:largest \w+ that fits with the rest unchanged is|train at most) (\d+)/.exec(e.message)?.[1]);
    return { path: e.path ?? "", largest, message: e.message };
  }
  throw new Error("accepted");
}

test("resolveTrainConfig refuses shapes that cannot fit in memory, naming the field and the largest value that fits (issue 18, failures 6–7)", () => {
  for (const [field, value] of [["layers", 1e6], ["dModel", 1e6], ["seq", 1e6], ["vocab", 1e9]] as const) {
    const shape = { ...base.shape, [field]: value, ...(field === "dModel" ? { ffn: Math.ceil((8 * value) / 3) } : {}) };
    const r = refusal({ ...base, shape, ...(field === "seq" ? { batchTokens: value } : {}) });
    assert.equal(r.path, `shape.${field}`, r.message);
    assert.ok(r.largest >= 1 && r.largest < value, `${r.largest}: ${r.message}`);
    // The largest value named is accepted, one more is refused (the bisection runs on the same check).
    if (field === "layers" || field === "vocab") {
      assert.doesNotThrow(() => resolveTrainConfig({ ...base, shape: { ...base.shape, [field]: r.largest } }));
      assert.throws(() => resolveTrainConfig({ ...base, shape: { ...base.shape, [field]: r.largest + 1 } }), ConfigError);
    }
  }
});

test("resolveTrainConfig refuses a token count whose steps cannot finish, naming the largest that would", () => {
  const r = refusal({ ...base, tokens: 1e30 });
  assert.equal(r.path, "tokens");
  assert.equal(r.largest, MAX_STEPS * base.batchTokens);
  assert.doesNotThrow(() => resolveTrainConfig({ ...base, tokens: MAX_STEPS * base.batchTokens }));
});
