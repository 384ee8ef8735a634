import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { committedOrLiveRuns } from "../../lib/analysis/source";

test("committedOrLiveRuns(name) reads committed records and says so", () => {
  const r = committedOrLiveRuns("tiny-isoflop", { resultsDir: "test/analysis/fixtures/results" });
  assert.equal(r.source, "committed");
  assert.equal(r.records.length, 11);
  assert.match(r.message, /^tiny-isoflop: 11 committed runs from test\/analysis\/fixtures\/results\/tiny-isoflop\/runs\/$/);
});

test("committedOrLiveRuns(name) without records runs the sweep live (one real 1-layer run) and says so", () => {
  const dir = mkdtempSync(join(tmpdir(), "live-runs-"));
  try {
    const spec = join(dir, "live-test", "spec.ts"); // a spec's folder is named after it
    mkdirSync(join(dir, "live-test"));
    // An ESM package, as the project is (a spec.ts outside one fails to load: ERR_REQUIRE_CYCLE_MODULE).
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      spec,
      `export default { name: "live-test", seq: 64, family: { headSize: 8, aspectRatio: 16 }, budgets: [3e8], eval: { windows: 4, points: 1 },
        design: { kind: "hyperparams", modelScale: 11280, batchTokens: { values: [128] }, learningRate: { values: [0.01] } } };\n`,
    );
    const r = committedOrLiveRuns("live-test", { resultsDir: join(dir, "results"), spec, workers: 1 });
    assert.equal(r.source, "live");
    assert.equal(r.records.length, 1);
    assert.equal(r.records[0]!.status, "ok");
    assert.match(r.message, /^live-test: no committed runs, so ran a live sweep of .*spec\.ts \(live-test: 1 trained/);
    // A second call finds the records the first one wrote.
    assert.equal(committedOrLiveRuns("live-test", { resultsDir: join(dir, "results"), spec }).source, "committed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("committedOrLiveRuns(name) names the experiment when the live sweep fails", () => {
  const dir = mkdtempSync(join(tmpdir(), "live-runs-bad-"));
  try {
    assert.throws(() => committedOrLiveRuns("no-such-experiment", { resultsDir: dir }), /^ConfigError: no-such-experiment: the live sweep failed \(exit 2\)|no-such-experiment: the live sweep failed \(exit 2\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
