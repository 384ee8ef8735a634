import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

/** Committed real records of the tiny sweeps (see test/analysis/write.test.ts). */
const FIXTURE = "test/analysis/fixtures/results";

test("scaling figures <experiment> --results DIR regenerates the fit files and figures in one command", () => {
  const root = mkdtempSync(join(tmpdir(), "cli-figures-"));
  try {
    cpSync(FIXTURE, root, { recursive: true });
    const run = spawnSync(process.execPath, ["bin/scaling.mjs", "figures", "tiny-isoflop", "--results", root, "--json", "--no-png"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { experiment: string; fits: string[]; figures: string[] };
    assert.equal(out.experiment, "tiny-isoflop");
    for (const f of ["fits/isoflop.json", "fits/laws.json", "fits/predictions.json", "figures/isoflop-curves.svg", "figures/allocation.svg", "figures/loss-compute.svg"]) {
      assert.ok(existsSync(join(root, "tiny-isoflop", f)), f);
    }
    assert.equal(out.figures.length, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("scaling figures <experiment> without runs exits 2 naming the experiment and the sweep to run first", () => {
  const root = mkdtempSync(join(tmpdir(), "cli-figures-empty-"));
  try {
    const run = spawnSync(process.execPath, ["bin/scaling.mjs", "figures", "tiny-isoflop", "--results", root], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^scaling figures: tiny-isoflop: no run records in .* — run `scaling sweep tiny-isoflop` first\n$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
