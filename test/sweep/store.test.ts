import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, SWEEP_CODE_VERSION, type RunPlan } from "../../lib/sweep/expand";
import { failedRecord, recordOf, type RunRecord } from "../../lib/sweep/record";
import { cleanTempFiles, readRecords, recordPath, runsDir, TEMP_PREFIX, writeRecord } from "../../lib/sweep/store";
import { exportRunsCsv, formatRunsCsv } from "../../lib/sweep/export";
import { parseRunsCsv } from "../../lib/io/csv";
import { selectNearOptimal } from "../../lib/fit/nearOptimal";
import type { RunResult } from "../../lib/train/config";

const plans: readonly RunPlan[] = expandSpec(
  resolveSpec(
    parseSpec({
      name: "unit-store",
      seq: 32,
      family: { headSize: 8 },
      budgets: [2e8],
      design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [64, 128] }, learningRate: { values: [1e-3, 1e-2] } },
    }),
    {},
  ),
).runs;

/** A finished run's result for `plan` (what train returns), with a given status and bits per byte. */
function resultFor(plan: RunPlan, status: "ok" | "diverged", bitsPerByte: number | null): RunResult {
  const tokens = status === "ok" ? plan.config.tokens : plan.config.batchTokens * 3;
  return {
    schemaVersion: 1,
    config: plan.config,
    status,
    ...(status === "diverged" ? { error: "loss 40 at step 3 (start 5.5, limit 3× start)" } : {}),
    modelScale: plan.modelScale,
    compute: plan.modelScale * tokens,
    tokens,
    steps: tokens / plan.config.batchTokens,
    loss: status === "ok" ? 2.5 : null,
    bitsPerByte,
    curve: [{ step: 0, tokens: 0, loss: 5.5, learningRate: 1e-4 }],
    evals: bitsPerByte === null ? [] : [{ step: plan.steps, tokens: plan.config.tokens, bitsPerByte }],
    wallSeconds: 1.5,
    tokensPerSecond: 1000,
    backend: { name: "wasm", skipped: {} },
    seed: plan.config.seed,
  };
}

function records(): RunRecord[] {
  const [a, b, c, d] = plans as [RunPlan, RunPlan, RunPlan, RunPlan];
  return [
    recordOf(a, resultFor(a, "ok", 3.1), SWEEP_CODE_VERSION, 1),
    recordOf(b, resultFor(b, "ok", 3.0), SWEEP_CODE_VERSION, 1),
    recordOf(c, resultFor(c, "diverged", null), SWEEP_CODE_VERSION, 1),
    failedRecord(d, "worker exited (code 1, signal null)", SWEEP_CODE_VERSION, 3, 2.5),
  ];
}

test("writeRecord(root, record) round-trips through readRecords, one file per key", () => {
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  try {
    for (const r of records()) writeRecord(root, r);
    const { records: read, invalid } = readRecords(root, "unit-store");
    assert.equal(invalid.length, 0);
    assert.deepEqual([...read].sort((x, y) => (x.key < y.key ? -1 : 1)), records().sort((x, y) => (x.key < y.key ? -1 : 1)));
    assert.deepEqual(readdirSync(runsDir(root, "unit-store")).sort(), plans.map((p) => `${p.key}.json`).sort());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("readRecords(root, name) ignores a leftover temp file, and cleanTempFiles removes it", () => {
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  try {
    const [ok] = records();
    writeRecord(root, ok!);
    const text = readFileSync(recordPath(root, "unit-store", ok!.key), "utf8");
    // What a writer killed mid-write leaves: a temp file, complete or half-written.
    writeFileSync(join(runsDir(root, "unit-store"), `${TEMP_PREFIX}999-a`), text.slice(0, text.length / 2));
    writeFileSync(join(runsDir(root, "unit-store"), `${TEMP_PREFIX}999-b.json`), text);
    const { records: read, invalid } = readRecords(root, "unit-store");
    assert.equal(read.length, 1);
    assert.equal(invalid.length, 0);
    assert.equal(cleanTempFiles(root, "unit-store").length, 2);
    assert.deepEqual(readdirSync(runsDir(root, "unit-store")), [`${ok!.key}.json`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("readRecords(root, name) reports a truncated record file as invalid, never as a record", () => {
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  try {
    const [ok] = records();
    const path = writeRecord(root, ok!);
    writeFileSync(path, readFileSync(path, "utf8").slice(0, 200));
    const { records: read, invalid } = readRecords(root, "unit-store");
    assert.equal(read.length, 0);
    assert.equal(invalid.length, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("writeRecord(root, record) rejects an invalid record and writes nothing", () => {
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  try {
    const bad = { ...records()[0]!, wallSeconds: "slow" } as unknown as RunRecord;
    assert.throws(() => writeRecord(root, bad));
    assert.ok(!existsSync(runsDir(root, "unit-store")) || readdirSync(runsDir(root, "unit-store")).length === 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("formatRunsCsv(records) is read by parseRunsCsv: compute is the budget, loss the bits per byte, non-ok runs dropped from fits with a reason", () => {
  const points = parseRunsCsv(formatRunsCsv(records()));
  assert.equal(points.length, 4);
  assert.ok(points.every((p) => p.compute === 2e8));
  const byKey = new Map(points.map((p) => [p.key, p]));
  const [a, , c, d] = records();
  assert.equal(byKey.get(a!.key)!.loss, 3.1);
  assert.equal(byKey.get(a!.key)!.tokens, a!.config.tokens);
  assert.equal(byKey.get(c!.key)!.status, "diverged");
  assert.ok(Number.isNaN(byKey.get(c!.key)!.loss));
  assert.equal(byKey.get(d!.key)!.status, "failed");
  const { dropped } = selectNearOptimal(points);
  const reasons = new Map(dropped.map((x) => [x.point.key, x.reason]));
  assert.match(reasons.get(c!.key) ?? "", /diverged/);
  assert.match(reasons.get(d!.key) ?? "", /failed/);
});

test("exportRunsCsv(root, name) writes results/<name>/runs.csv with one row per record", () => {
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  try {
    for (const r of records()) writeRecord(root, r);
    const out = exportRunsCsv(root, "unit-store");
    assert.equal(out.path, join(root, "unit-store", "runs.csv"));
    assert.equal(out.rows, 4);
    const text = readFileSync(out.path, "utf8");
    assert.match(text.split("\n")[0]!, /^compute,model_scale,tokens,batch_tokens,learning_rate,loss,status,key,realised_compute,/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
