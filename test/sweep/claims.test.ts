import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCorpus, microSpec, ROOT } from "../queue/harness";

/** Two micro sweeps of 3 runs each (≈ 3 s per run on a busy 2-core machine). */
const TWO_SWEEPS_TIMEOUT_MS = 300_000;

function sweep(specDir: string, results: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/scaling.mjs"), "sweep", specDir, "--results", results, "--workers", "1", "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

test("two sweeps of one experiment on one results folder train each run once: the second skips claimed runs, saying so (issue 18, failure 5)", { timeout: TWO_SWEEPS_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "claims-test-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    const specDir = join(dir, "micro-claims");
    mkdirSync(specDir);
    writeFileSync(join(specDir, "spec.ts"), `export default ${JSON.stringify(microSpec("micro-claims", makeCorpus(join(dir, "corpus"))))};\n`);
    const results = join(dir, "results");
    // Before claims: 6 trainings for 3 runs.
    const [a, b] = await Promise.all([sweep(specDir, results), sweep(specDir, results)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const [ja, jb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    assert.equal(ja.trained + jb.trained, 3, `trained ${ja.trained} + ${jb.trained}`);
    // Each sweep left to the other what it trained: claimed then (busy), or already recorded at its start (skipped).
    assert.equal(ja.busy + jb.busy + ja.skipped + jb.skipped, 3);
    assert.match(a.stderr + b.stderr, /run [0-9a-f]{16} is being trained by another sweep \(pid \d+ on .+\); skipped/);
    const files = readdirSync(join(results, "micro-claims", "runs")).sort();
    assert.equal(files.filter((f) => f.endsWith(".json")).length, 3);
    assert.deepEqual(files.filter((f) => !f.endsWith(".json")), [], "no claim or temp file is left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
