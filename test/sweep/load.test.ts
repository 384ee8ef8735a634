import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSpec } from "../../lib/sweep/load";
import { expandSpec } from "../../lib/sweep/expand";
import { ConfigError } from "../../lib/util/errors";

/** Float round-off of one power. */
const REL_EPS = 1e-12;

function withSpec(spec: unknown, laws: unknown, body: (specFile: string, lawsFile: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "load-test-"));
  const lawsFile = join(dir, "laws.json");
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(lawsFile, JSON.stringify(laws));
  const specFile = join(dir, "spec.ts");
  writeFileSync(specFile, `export default ${JSON.stringify(spec).replace('"LAWS"', JSON.stringify(lawsFile))};\n`);
  return body(specFile, lawsFile).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const spec = { name: "unit-load", seq: 32, family: { headSize: 8 }, budgets: [1e9, 4e9], design: { kind: "isoflop", centre: 3e4, count: 3, span: 4, hyperparams: "LAWS" } };

test("loadSpec(path) takes batch and learning rate from a fitted-laws JSON file (extra keys ignored)", async () => {
  const fitted = { batch: { coefficient: 2, exponent: 0.25, r2: 0.9 }, learningRate: { coefficient: 0.5, exponent: -0.1 }, status: "ok" };
  await withSpec(spec, fitted, async (specFile, lawsFile) => {
    const { spec: resolved, path } = await loadSpec(specFile);
    assert.equal(path, specFile);
    assert.deepEqual(resolved.laws[lawsFile]?.batch, { coefficient: 2, exponent: 0.25 });
    for (const r of expandSpec(resolved).runs) {
      assert.ok(Math.abs(r.config.learningRate / (0.5 * r.cell.budget ** -0.1) - 1) < REL_EPS);
      assert.ok(Math.abs(r.cell.targetBatchTokens / (2 * r.cell.budget ** 0.25) - 1) < REL_EPS);
    }
  });
});

test("loadSpec(path) names the field whose laws file lacks a needed law", async () => {
  await withSpec(spec, { modelScale: { coefficient: 0.17, exponent: 0.52 } }, async (specFile) => {
    await assert.rejects(loadSpec(specFile), (e: unknown) => e instanceof ConfigError && e.path === "spec.design.hyperparams");
  });
});

test("loadSpec(name) of an unknown experiment is a ConfigError naming <experiment>", async () => {
  await assert.rejects(loadSpec("no-such-experiment"), (e: unknown) => e instanceof ConfigError && e.path === "<experiment>");
});
