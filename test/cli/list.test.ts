import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const list = (...args: string[]) => spawnSync(process.execPath, ["bin/scaling.mjs", "list", ...args], { encoding: "utf8" });

test("scaling list counts each experiment's stored runs against its plan: complete, partial, not started", () => {
  const root = mkdtempSync(join(tmpdir(), "list-cli-"));
  try {
    cpSync(join("results", "tiny-isoflop", "runs"), join(root, "tiny-isoflop", "runs"), { recursive: true });
    // Two of tiny-hyperparams' 45 runs stored: partial.
    const runs = readdirSync(join("results", "tiny-hyperparams", "runs")).sort().slice(0, 2);
    for (const r of runs) cpSync(join("results", "tiny-hyperparams", "runs", r), join(root, "tiny-hyperparams", "runs", r), { recursive: true });
    const run = list("--results", root);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^tiny-isoflop +3 +6\.0e\+9–6\.0e\+10 +15 +15 +0 +0 +0 +complete$/m);
    assert.match(run.stdout, /^tiny-hyperparams +3 +2\.0e\+9–2\.0e\+10 +45 +2 +0 +0 +43 +partial$/m);
    assert.match(run.stdout, /^study-verify +1 +3\.2e\+12 +15 +0 +0 +0 +15 +not started$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("scaling list counts a study stage by the runs the study planned (results/study/stages.json)", () => {
  const run = list("--json");
  assert.equal(run.status, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { name: string; planned: number; ok: number; status: string }[];
  // 5 budgets × 7 model scales, all trained and committed.
  assert.deepEqual(rows.find((r) => r.name === "study-isoflop"), { ...rows.find((r) => r.name === "study-isoflop"), planned: 35, ok: 35, status: "complete" });
  assert.equal(rows.length, readdirSync("experiments").filter((d) => !d.includes(".")).length);
});
