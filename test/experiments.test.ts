import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "../lib/sweep/load";
import { expandSpec } from "../lib/sweep/expand";

/** Every committed experiment spec parses, resolves and expands to runs without training. */
const specs = readdirSync("experiments", { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join("experiments", d.name, "spec.ts")))
  .map((d) => d.name)
  .sort();

test("experiments/ holds the quick-study specs", () => {
  for (const name of ["tiny-hyperparams", "tiny-isoflop"]) assert.ok(specs.includes(name), `experiments/${name}/spec.ts`);
});

for (const name of specs) {
  test(`loadSpec("${name}") validates and expands experiments/${name}/spec.ts`, async () => {
    const { spec } = await loadSpec(name);
    assert.equal(spec.name, name, "spec.name is its folder name, so results land in results/<folder>");
    assert.ok(existsSync(join("experiments", name, "README.md")), `experiments/${name}/README.md`);
    const { runs } = expandSpec(spec);
    assert.ok(runs.length > 0);
    assert.equal(new Set(runs.map((r) => r.key)).size, runs.length, "no two runs share a key");
    for (const r of runs) {
      assert.ok(Math.abs(r.realisedCompute / r.cell.budget - 1) <= spec.budgetTolerance, `${r.key}: C = ${r.realisedCompute} for budget ${r.cell.budget}`);
      assert.equal(r.config.tokens % r.config.batchTokens, 0);
    }
    for (const budget of spec.budgets) assert.ok(runs.some((r) => r.cell.budget === budget), `budget ${budget} has runs`);
  });
}
