import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSpec, type SweepSpecInput } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec } from "../../lib/sweep/expand";
import { deepseekLaws } from "../../lib/laws/lawsFile";
import { ConfigError } from "../../lib/util/errors";

const base: SweepSpecInput = {
  name: "unit",
  seq: 32,
  family: { headSize: 8 },
  budgets: [1e9, 3e9],
  design: { kind: "isoflop", centre: { law: "deepseek" }, count: 3, span: 4 },
};

/** Assert `fn` throws a ConfigError whose dotted path is `path`. */
function rejectsAt(fn: () => unknown, path: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.equal(e.path, path, e.message);
    return true;
  });
}

test("parseSpec(spec) fills defaults and accepts both designs", () => {
  const s = parseSpec(base);
  assert.equal(s.backend, "wasm");
  assert.equal(s.budgetTolerance, 0.02);
  assert.deepEqual(s.seeds, [0]);
  assert.deepEqual(s.reuse, []);
  assert.equal(s.design.kind, "isoflop");
  const h = parseSpec({ ...base, design: { kind: "hyperparams", modelScale: 3e4, batchTokens: { min: 64, max: 256, count: 3 }, learningRate: { law: "deepseek", factors: [0.5, 1, 2] } } });
  assert.equal(h.design.kind, "hyperparams");
});

test("parseSpec(spec) rejects an unknown key with its dotted path", () => {
  rejectsAt(() => parseSpec({ ...base, bugdets: [1e9] }), "spec");
  rejectsAt(() => parseSpec({ ...base, family: { headSize: 8, widht: 3 } }), "spec.family");
  rejectsAt(() => parseSpec({ ...base, design: { ...base.design, spam: 1 } }), "spec.design");
});

test("parseSpec(spec) rejects a reuse entry that is its own name or not an experiment name, at spec.reuse[i]", () => {
  rejectsAt(() => parseSpec({ ...base, reuse: ["other", base.name] }), "spec.reuse[1]");
  rejectsAt(() => parseSpec({ ...base, reuse: ["../results"] }), "spec.reuse[0]");
  assert.deepEqual(parseSpec({ ...base, reuse: ["other"] }).reuse, ["other"]);
});

test("parseSpec(spec) rejects a negative or non-finite budget at spec.budgets[i]", () => {
  rejectsAt(() => parseSpec({ ...base, budgets: [1e9, -3e9] }), "spec.budgets[1]");
  rejectsAt(() => parseSpec({ ...base, budgets: [Infinity] }), "spec.budgets[0]");
  rejectsAt(() => parseSpec({ ...base, budgets: [] }), "spec.budgets");
  rejectsAt(() => parseSpec({ ...base, budgets: [1e9, 1e9] }), "spec.budgets[0]");
});

test("parseSpec(spec) rejects an empty grid", () => {
  const hyper = (batchTokens: unknown): unknown => ({ ...base, design: { kind: "hyperparams", modelScale: 3e4, batchTokens, learningRate: { values: [1e-3] } } });
  rejectsAt(() => parseSpec(hyper({ values: [] })), "spec.design.batchTokens.values");
  rejectsAt(() => parseSpec(hyper({ law: "deepseek", factors: [] })), "spec.design.batchTokens.factors");
  rejectsAt(() => parseSpec(hyper({ min: 64, max: 32, count: 3 })), "spec.design.batchTokens.max");
  rejectsAt(() => parseSpec({ ...base, design: { ...base.design, count: 0 } }), "spec.design.count");
});

test("parseSpec(spec) rejects a per-budget list whose length is not the number of budgets", () => {
  rejectsAt(() => parseSpec({ ...base, design: { ...base.design, centre: [1e4] } }), "spec.design.centre");
});

test("resolveSpec(spec, laws) names the field whose law is missing", () => {
  rejectsAt(() => resolveSpec(parseSpec(base), {}), "spec.design.centre.law");
  rejectsAt(() => resolveSpec(parseSpec(base), { deepseek: { modelScale: { coefficient: 0.1715, exponent: 0.5243 } } }), "spec.design.hyperparams");
});

test("resolveSpec(spec, laws) is frozen and does not alias the caller's object", () => {
  const input = structuredClone(base) as Record<string, unknown>;
  const resolved = resolveSpec(parseSpec(input), { deepseek: deepseekLaws });
  assert.ok(Object.isFrozen(resolved) && Object.isFrozen(resolved.design) && Object.isFrozen(resolved.budgets));
  (input.budgets as number[])[0] = 5;
  assert.equal(resolved.budgets[0], 1e9);
});

test("expandSpec(spec) rejects a budget too small for any model at spec.budgets[i]", () => {
  // 1e5 FLOPs cannot buy one step of even the smallest shape (M ≈ 5e3 FLOPs/token × 32 tokens).
  const spec = resolveSpec(parseSpec({ ...base, budgets: [1e9, 1e5], design: { ...base.design, centre: 1e4 } }), { deepseek: deepseekLaws });
  rejectsAt(() => expandSpec(spec), "spec.budgets[1]");
});
