import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
  const specFile = join(dir, (spec as { name: string }).name, "spec.ts"); // a spec's folder is named after it
  mkdirSync(dirname(specFile));
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

test("loadSpec accepts an experiment folder with or without a trailing slash, and a path to its spec.ts (issue 18, failure 6)", async () => {
  for (const given of ["tiny-isoflop", "experiments/tiny-isoflop", "experiments/tiny-isoflop/", "./experiments/tiny-isoflop/spec.ts"]) {
    assert.equal((await loadSpec(given)).spec.name, "tiny-isoflop", given);
  }
});

test("loadSpec refuses a non-spec file by what it is, without importing it, and a spec that fails to import, naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "load-bad-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    // A module that would leave a mark if it were imported.
    const marker = join(dir, "imported");
    writeFileSync(join(dir, "evil.ts"), `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "x"); export default {};\n`);
    await assert.rejects(loadSpec(join(dir, "evil.ts")), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`<experiment>: ${join(dir, "evil.ts")} is not a spec (it is a .ts file)`));
    await assert.rejects(loadSpec("/etc/passwd"), (e: unknown) => e instanceof ConfigError && /\/etc\/passwd is not a spec \(it is a file without an extension\)/.test(e.message));
    await assert.rejects(loadSpec(dir), (e: unknown) => e instanceof ConfigError && /is not a spec \(it is a folder without spec\.ts\)/.test(e.message));
    assert.ok(!existsSync(marker), "the non-spec file was never imported");
    for (const [name, body, why] of [
      ["syntax", "export default { name: 'syntax', seq: ;\n", /cannot load .*syntax\/spec\.ts: /],
      ["throws", "throw new Error('boom at import');\nexport default {};\n", /cannot load .*throws\/spec\.ts: boom at import$/],
    ] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "spec.ts"), body);
      await assert.rejects(loadSpec(join(dir, name)), (e: unknown) => e instanceof ConfigError && e.path === "spec" && why.test(e.message.replace(/ — .*$/, "")) && !e.message.includes("\n"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loadSpec refuses a spec whose name is not its folder's, naming both (issue 18, failure 4)", async () => {
  await withSpec({ ...spec, name: "another-experiment" }, {}, async (specFile) => {
    // withSpec puts it in a folder named after the spec; copy it as a folder named otherwise.
    const copy = join(dirname(dirname(specFile)), "copied", "spec.ts");
    mkdirSync(dirname(copy));
    writeFileSync(copy, readFileSync(specFile));
    await assert.rejects(loadSpec(copy), (e: unknown) => e instanceof ConfigError && e.message.startsWith('spec.name: "another-experiment" is not its folder\'s name "copied"'));
  });
});
