import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { deepseekLaws, loadLaws, parseLaws } from "../../lib/laws/lawsFile";
import { DEEPSEEK_EQ1, DEEPSEEK_EQ4 } from "../../lib/laws/published";
import { ConfigError } from "../../lib/util/errors";

const readText = (path: string): string => readFileSync(path, "utf8");
const summary = (coefficient: number, exponent: number) => ({
  coefficient,
  exponent,
  interval: { coefficient: [coefficient * 0.8, coefficient * 1.2], exponent: [exponent - 0.01, exponent + 0.01] },
  r2: 0.97,
  status: "ok",
});

test("deepseekLaws holds Eq. 1 and Eq. 4", () => {
  assert.equal(deepseekLaws.batch?.coefficient, DEEPSEEK_EQ1.batch.coefficient);
  assert.equal(deepseekLaws.learningRate?.exponent, DEEPSEEK_EQ1.learningRate.exponent);
  assert.equal(deepseekLaws.modelScale?.exponent, DEEPSEEK_EQ4.modelScale.exponent);
  assert.equal(deepseekLaws.tokens?.coefficient, DEEPSEEK_EQ4.tokens.coefficient);
  assert.deepEqual(parseLaws(deepseekLaws), deepseekLaws);
});

test("parseLaws(fit outputs merged) accepts and drops the extra keys of `fit hyperparams` and `fit isoflop`", () => {
  const hyper = { batch: summary(0.3, 0.33), learningRate: summary(0.3, -0.12), dropped: [{ compute: 1e17, reason: "x" }], status: "ok", warnings: [] };
  const iso = { modelScale: summary(0.17, 0.52), tokens: summary(5.8, 0.48), budgets: [{ compute: 1e17 }], status: "warning" };
  const laws = parseLaws({ ...hyper, ...iso });
  assert.deepEqual(Object.keys(laws).sort(), ["batch", "learningRate", "modelScale", "tokens"]);
  assert.deepEqual(Object.keys(laws.batch!).sort(), ["coefficient", "exponent", "interval"]);
  assert.deepEqual(parseLaws(hyper).batch?.interval?.exponent, [0.32, 0.34]);
});

test("parseLaws(value) names the bad field", () => {
  assert.throws(() => parseLaws({ batch: { coefficient: -1, exponent: 0.3 } }, "f.json"), (e: unknown) => e instanceof ConfigError && e.path === "f.json.batch.coefficient");
  assert.throws(() => parseLaws({ batch: { coefficient: 1, exponent: null } }, "f.json"), (e: unknown) => e instanceof ConfigError && e.path === "f.json.batch.exponent");
  assert.throws(() => parseLaws({ tokens: { coefficient: 1, exponent: 1, draws: { coefficient: [1, 2], exponent: [1] } } }), ConfigError);
  assert.throws(() => parseLaws({ status: "ok" }), ConfigError);
});

test("loadLaws(name | file) reads a real JSON file, and rejects unknown names naming --laws", () => {
  const dir = mkdtempSync(join(tmpdir(), "laws-"));
  const file = join(dir, "laws.json");
  writeFileSync(file, JSON.stringify({ batch: summary(0.25, 0.3) }));
  assert.equal(loadLaws(file, readText).batch?.coefficient, 0.25);
  assert.equal(loadLaws("deepseek", readText), deepseekLaws);
  assert.throws(() => loadLaws("chinchila", readText), (e: unknown) => e instanceof ConfigError && e.path === "--laws" && /deepseek/.test(e.message));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, "{ not json");
  assert.throws(() => loadLaws(bad, readText), (e: unknown) => e instanceof ConfigError && e.message.includes(bad));
});
