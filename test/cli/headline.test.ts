import assert from "node:assert/strict";
import { test } from "node:test";
import { intervalText, sig } from "../../lib/cli/headline";

test("intervalText(interval) prints a zero-width interval as none, never as a 95% interval", () => {
  assert.equal(intervalText([2.918, 2.918], 4), "none (zero width)");
  assert.equal(intervalText([0.3598, 0.4998]), "[0.360, 0.500]");
  assert.equal(intervalText(null), "—");
});

test("sig(x, digits) keeps trailing zeros, uses a real minus and exponent form outside [1e-3, 1e6)", () => {
  assert.equal(sig(0.36), "0.360");
  assert.equal(sig(-0.109), "−0.109");
  assert.equal(sig(3.2e12), "3.20e+12");
  assert.equal(sig(4.2e-4, 2), "4.2e-4");
});
