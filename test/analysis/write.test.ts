import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readExperimentRecords, regenerateExperiment } from "../../lib/analysis/write";
import { parseLaws } from "../../lib/laws/lawsFile";
import { ConfigError } from "../../lib/util/errors";

/** Real records of the tiny sweeps (curves trimmed to their last point), trained on this project's engine. */
const FIXTURE = "test/analysis/fixtures/results";

function withCopy(run: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), "analysis-write-"));
  try {
    cpSync(FIXTURE, root, { recursive: true });
    run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test("regenerateExperiment(root, 'tiny-hyperparams') writes the hyperparams fits, laws, predictions and Figures 2–3", () => {
  withCopy((root) => {
    const { written, analysis } = regenerateExperiment(root, "tiny-hyperparams", { resamples: 50, png: false });
    const dir = join(root, "tiny-hyperparams");
    assert.deepEqual(written.fits.map((f) => f.slice(dir.length + 1)).sort(), ["fits/hyperparams.json", "fits/laws.json", "fits/predictions.json"]);
    assert.deepEqual(written.figures.map((f) => f.slice(dir.length + 1)).sort(), ["figures/hyperparam-grid.svg", "figures/hyperparam-laws.svg"]);
    const fit = JSON.parse(readFileSync(join(dir, "fits/hyperparams.json"), "utf8"));
    assert.equal(fit.keys.length, 18, "every run of the fixture is listed");
    assert.deepEqual([...fit.keys].sort(), analysis.hyperparams!.points.map((p) => p.key).sort());
    const laws = parseLaws(JSON.parse(readFileSync(join(dir, "fits/laws.json"), "utf8")));
    assert.ok(laws.batch && laws.learningRate && !laws.modelScale);
    assert.match(readFileSync(join(dir, "figures/hyperparam-grid.svg"), "utf8"), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });
});

test("regenerateExperiment(root, 'tiny-isoflop') writes Figures 4(a), 4(b/c) and 5 as SVG and PNG", () => {
  withCopy((root) => {
    const { written } = regenerateExperiment(root, "tiny-isoflop", { resamples: 50 });
    const names = written.figures.map((f) => f.split("/").pop()).sort();
    assert.deepEqual(names, ["allocation.png", "allocation.svg", "isoflop-curves.png", "isoflop-curves.svg", "loss-compute.png", "loss-compute.svg"]);
    const png = readFileSync(join(root, "tiny-isoflop/figures/allocation.png"));
    assert.equal(png.subarray(1, 4).toString(), "PNG");
    const iso = JSON.parse(readFileSync(join(root, "tiny-isoflop/fits/isoflop.json"), "utf8"));
    assert.equal(iso.keys.length, 11);
    assert.ok(iso.budgets.length === 3 && iso.lossCurve.points.length === 3);
    // Redrawn SVG-only, the earlier PNGs would be stale: they are removed and reported.
    const again = regenerateExperiment(root, "tiny-isoflop", { resamples: 10, png: false });
    assert.deepEqual(again.written.removed.map((f) => f.split("/").pop()).sort(), ["allocation.png", "isoflop-curves.png", "loss-compute.png"]);
    assert.ok(!existsSync(join(root, "tiny-isoflop/figures/allocation.png")));
  });
});

test("readExperimentRecords(root, name) names the experiment and the sweep to run when there are no runs", () => {
  withCopy((root) => {
    assert.throws(() => readExperimentRecords(root, "nothing-here"), (e: unknown) => e instanceof ConfigError && /^nothing-here: no run records in .*run `scaling sweep nothing-here` first$/.test(e.message));
    assert.ok(!existsSync(join(root, "nothing-here")));
  });
});

test("regenerateExperiment removes a laws.json of an earlier fit when the fit fails now (issue 18: predict --laws went on using the stale file)", () => {
  withCopy((root) => {
    regenerateExperiment(root, "tiny-hyperparams", { resamples: 20, png: false });
    const laws = join(root, "tiny-hyperparams/fits/laws.json");
    assert.ok(existsSync(laws));
    // One budget left: no power law in C can be fitted.
    const runs = join(root, "tiny-hyperparams/runs");
    const budgetOf = (f: string): number => JSON.parse(readFileSync(join(runs, f), "utf8")).cell.budget;
    const files = readdirSync(runs);
    const keep = budgetOf(files[0]!);
    for (const f of files) if (budgetOf(f) !== keep) rmSync(join(runs, f));
    const again = regenerateExperiment(root, "tiny-hyperparams", { resamples: 20, png: false });
    assert.equal(again.analysis.laws, null);
    assert.ok(!existsSync(laws), "the stale laws.json is gone");
    assert.ok(again.written.removed.includes(laws));
  });
});
