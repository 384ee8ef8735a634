import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CHINCHILLA_APPROACH3_LOSS,
  CHINCHILLA_APPROACH3_UNROUNDED,
  CHINCHILLA_APPROACHES,
  DEEPSEEK_EQ1,
  DEEPSEEK_EQ4,
  DEEPSEEK_TABLE4,
  EPOCH_REFIT,
  parametricOptimum,
} from "../../lib/laws/published";

/** paper.md §2 tabulates Eq. 1 to 4 significant digits. */
const FOUR_DIGITS = 5e-4;
/** The paper prints Eq. 4's constants to 4 decimals, so a + b and M_base·D_base are 1 to about 1e-4. */
const EQ4_ROUNDING = 2e-4;

const at = (law: { coefficient: number; exponent: number }, c: number): number => law.coefficient * c ** law.exponent;
const near = (got: number, want: number, rel: number): boolean => Math.abs(got / want - 1) <= rel;

test("DEEPSEEK_EQ1 reproduces the tabulated η_opt and B_opt at 1e17, 1e20 and 3e20", () => {
  const table: [number, number, number][] = [
    [1e17, 2.338e-3, 1.062e5],
    [1e20, 9.86e-4, 1.017e6],
    [3e20, 8.595e-4, 1.457e6],
  ];
  for (const [c, lr, batch] of table) {
    assert.ok(near(at(DEEPSEEK_EQ1.learningRate, c), lr, FOUR_DIGITS), `η at ${c}`);
    assert.ok(near(at(DEEPSEEK_EQ1.batch, c), batch, FOUR_DIGITS), `B at ${c}`);
  }
});

test("DEEPSEEK_EQ4 satisfies M_opt·D_opt = C (a + b = 1, M_base·D_base = 1)", () => {
  assert.ok(Math.abs(DEEPSEEK_EQ4.modelScale.exponent + DEEPSEEK_EQ4.tokens.exponent - 1) < EQ4_ROUNDING);
  assert.ok(Math.abs(DEEPSEEK_EQ4.modelScale.coefficient * DEEPSEEK_EQ4.tokens.coefficient - 1) < EQ4_ROUNDING);
  for (const c of [1e17, 1e20, 1e24]) assert.ok(near(at(DEEPSEEK_EQ4.modelScale, c) * at(DEEPSEEK_EQ4.tokens, c), c, 0.01));
});

test("DEEPSEEK_TABLE4 'Current Data' row is Eq. 4 rounded; every row has a + b = 1", () => {
  const current = DEEPSEEK_TABLE4.find((r) => r.label.includes("Current"))!;
  assert.equal(current.a, Number(DEEPSEEK_EQ4.modelScale.exponent.toFixed(3)));
  for (const row of DEEPSEEK_TABLE4) assert.ok(Math.abs(row.a + row.b - 1) < 1e-9, row.label);
  // The Chinchilla row is Approach 2.
  const chin = DEEPSEEK_TABLE4.find((r) => r.label.startsWith("Chinchilla"))!;
  const approach2 = CHINCHILLA_APPROACHES[1]!;
  assert.deepEqual([chin.a, chin.b], [approach2.a, approach2.b]);
});

test("CHINCHILLA_APPROACHES intervals contain or sit beside their estimates as published", () => {
  for (const row of CHINCHILLA_APPROACHES) {
    assert.ok(row.aInterval && row.aInterval[0] <= row.aInterval[1]);
    assert.ok(row.bInterval && row.bInterval[0] <= row.bInterval[1]);
  }
});

test("parametricOptimum(Approach 3) gives a = β/(α+β) ≈ 0.46, as Table 2 prints", () => {
  const unrounded = { ...CHINCHILLA_APPROACH3_LOSS, ...CHINCHILLA_APPROACH3_UNROUNDED };
  assert.equal(Number(parametricOptimum(unrounded, 1e21).a.toFixed(2)), 0.46);
});

test("parametricOptimum(EPOCH_REFIT, 5.88e23) ≈ 7.3e10 params, 1.34e12 tokens, ≈ 18 tokens/param, a = 0.5126", () => {
  const opt = parametricOptimum(EPOCH_REFIT, 5.88e23);
  assert.equal(Number(opt.a.toFixed(4)), 0.5126);
  assert.equal(Number(opt.params.toPrecision(2)), 7.3e10);
  assert.equal(Number(opt.tokens.toPrecision(3)), 1.34e12);
  assert.equal(Math.round(opt.tokens / opt.params), 18);
  assert.ok(near(6 * opt.params * opt.tokens, 5.88e23, 1e-12));
});
