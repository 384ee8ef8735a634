import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

/**
 * A fuzz set of bad (and a few odd but valid) inputs over the whole CLI, from issue 18's audit:
 * every one exits 0 or 2, never prints a stack or "unexpected error", and none trains anything
 * (each bad one is refused before work starts, so the set runs in seconds per input).
 */

const SPEC = (name: string, extra = ""): string =>
  `export default { name: ${JSON.stringify(name)}, seq: 32, family: { headSize: 8 }, budgets: [2e8], design: { kind: "hyperparams", modelScale: 26400, batchTokens: { values: [64] }, learningRate: { values: [1e-3] } }${extra} };\n`;

function makeSpecs(dir: string): Record<string, string> {
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  const spec = (folder: string, body: string): string => {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, "spec.ts"), body);
    return join(dir, folder);
  };
  return {
    syntax: spec("syntax", "export default { name: 'syntax', seq: ;\n"),
    throws: spec("throws", "throw new Error('boom at import');\n"),
    noDefault: spec("no-default", "export const x = 1;\n"),
    mismatch: spec("copied", SPEC("another-name")),
    badCorpus: spec("bad-corpus", SPEC("bad-corpus", ', corpus: "no-such-corpus"')),
    badField: spec("bad-field", SPEC("bad-field", ", seq: -3")),
  };
}

/** Processes at once: the CI machine has 2 cores. */
const CONCURRENCY = 2;

function scaling(argv: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/scaling.mjs", ...argv], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SCALING_QUEUE_URL: "" } });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

test("fuzz: bad inputs over every command exit 0 or 2 with one-line errors, no stack, nothing trained", { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-fuzz-"));
  try {
    const s = makeSpecs(dir);
    const file = join(dir, "a-file");
    writeFileSync(file, "not a folder\n");
    const latin1 = join(dir, "latin1.csv");
    writeFileSync(latin1, Buffer.from("compute,model_scale\n1e18,caf\xe9\n", "latin1"));
    const train = ["train", "--layers", "2", "--d-model", "64", "--heads", "2", "--seq", "128", "--tokens", "3e5", "--batch-tokens", "4096", "--lr", "3e-3"];
    const inputs: string[][] = [
      [], ["nope"], ["--help"], ["sweep"], ["sweep", ""], ["sweep", "/etc/passwd"], ["sweep", "experiments/"], ["sweep", "no-such-experiment"],
      ["sweep", "experiments/tiny-isoflop/", "--dry-run"], ["sweep", "tiny-isoflop", "--results", file], ["sweep", "tiny-isoflop", "--workers", "-1"],
      ["sweep", "tiny-isoflop", "--queue", "http://u:pw@h:1"], ["sweep", s.syntax!], ["sweep", s.throws!], ["sweep", s.noDefault!], ["sweep", s.mismatch!],
      ["sweep", s.badCorpus!, "--dry-run"], ["sweep", s.badCorpus!, "--results", join(dir, "results")], ["sweep", s.badField!], ["plan", "/etc/passwd"],
      ["plan", s.badCorpus!], ["status", "experiments/tiny-isoflop/"], ["status", s.throws!], ["export", "experiments/tiny-isoflop", "--results", file],
      ["figures", "experiments/tiny-isoflop/", "--results", file], ["figures", "no-such-experiment", "--results", join(dir, "empty")],
      [...train, "--layers", "1e6"], [...train, "--d-model", "1e6"], [...train, "--seq", "1e6"], [...train, "--vocab", "1e9"], [...train, "--tokens", "1e30"],
      [...train, "--lr", "-1"], [...train, "--tokens", "abc"], [...train, "--corpus", "no-such-corpus"], [...train, "--corpus", file],
      ["predict", "--compute", "1e300"], ["predict", "--compute", "1e50"], ["predict", "--compute", "-1"], ["predict", "--compute", "1e400"],
      ["predict", "--compute", "1e20", "--laws", join(dir, "missing.json")], ["predict", "--compute", "1e20", "--laws", file],
      ["scale", "--layers", "1e300", "--d-model", "1e300", "--seq", "1", "--vocab", "1"], ["scale", "--layers", "0", "--d-model", "8", "--seq", "1", "--vocab", "1"],
      ["fit", "isoflop", join(dir, "missing.csv")], ["fit", "isoflop", "/etc/passwd"], ["fit", "hyperparams", dir], ["fit", "loss", latin1], ["fit", "nope"],
      ["worker", "--queue", "http://u:pw@h:1"], ["worker", "--queue", "redis://:pa/ss@h:1"], ["status", "tiny-isoflop", "--queue", "redis//x"],
    ];
    const results: Array<{ argv: string[]; code: number | null; stderr: string }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < inputs.length) {
          const argv = inputs[next++]!;
          results.push({ argv, ...(await scaling(argv)) });
        }
      }),
    );
    const bad = results.filter((r) => !(r.code === 0 || r.code === 2) || /\n\s+at |unexpected error/.test(r.stderr) || /pw@|pa\/ss/.test(r.stderr));
    assert.deepEqual(bad.map((r) => `${r.argv.join(" ")} → ${r.code}: ${r.stderr.slice(0, 300)}`), []);
    const refused = results.filter((r) => r.code === 2);
    // Without a command the usage goes to stdout; every other refusal says why on stderr.
    for (const r of refused) if (r.argv.length > 0) assert.ok(r.stderr.trim().length > 0, `${r.argv.join(" ")}: exit 2 says why`);
    // Printed for the report: exit codes of the whole set.
    console.log(`fuzz: ${results.length} inputs, ${results.filter((r) => r.code === 0).length} exit 0, ${refused.length} exit 2`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
