import assert from "node:assert/strict";
import { test } from "node:test";
import { DEEPSEEK_67B, DEEPSEEK_7B, DEEPSEEK_REFERENCES } from "../../lib/laws/reference";
import { parseBuildableShape, swigluWidth } from "../../lib/model/shape";

test("DEEPSEEK_7B / DEEPSEEK_67B carry Table 2: batch tokens = sequences × 4096, 2T tokens", () => {
  assert.equal(DEEPSEEK_7B.batchTokens, 9_437_184); // 2304 × 4096
  assert.equal(DEEPSEEK_67B.batchTokens, 18_874_368); // 4608 × 4096, the "18.8M tokens" of GH issue #3
  for (const ref of DEEPSEEK_REFERENCES) {
    assert.equal(ref.tokens, 2e12);
    assert.equal(ref.shape.seq, 4096);
    assert.equal(ref.shape.vocab, 102400);
  }
  assert.deepEqual([DEEPSEEK_7B.learningRate, DEEPSEEK_67B.learningRate], [4.2e-4, 3.2e-4]);
});

test("DEEPSEEK references are buildable shapes whose FFN is 8/3·d rounded up to 256", () => {
  for (const ref of DEEPSEEK_REFERENCES) {
    const shape = parseBuildableShape(ref.shape);
    assert.equal(shape.ffn, swigluWidth(shape.dModel, 256));
    assert.equal(shape.dModel / shape.heads, 128);
  }
  assert.equal(DEEPSEEK_67B.shape.kvHeads, 8);
});
