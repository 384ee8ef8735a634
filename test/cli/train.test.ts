import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `scaling train` run as a user runs it: the real bin, a real corpus, stdout/stderr and exit code. */
function scaling(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["bin/scaling.mjs", "train", ...args], { encoding: "utf8", env: { ...process.env, TZ: "UTC", ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL = ["--layers", "1", "--d-model", "32", "--heads", "2", "--seq", "32", "--tokens", "8192", "--batch-tokens", "512", "--lr", "1e-2", "--backend", "wasm", "--scale-init"];

test("scaling train --json prints one result object with the summary keys", () => {
  const r = scaling([...SMALL, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const key of ["status", "bitsPerByte", "loss", "tokens", "modelScale", "compute", "wallSeconds", "tokensPerSecond", "backend"]) assert.ok(key in out, key);
  assert.equal(out.status, "ok");
  assert.equal(out.tokens, 8192);
  assert.ok((out.bitsPerByte as number) < 8);
});

test("scaling train rejects bad input with exit 2 and one line naming the flag", () => {
  const dir = mkdtempSync(join(tmpdir(), "train-cli-"));
  try {
    const corrupt = join(dir, "ids.u16.bin");
    writeFileSync(corrupt, Buffer.from([1, 2, 3])); // odd byte count: not whole uint16 ids
    writeFileSync(join(dir, "ids.json"), JSON.stringify({ vocab: 300, bytesPerToken: 1.5 }));
    const set = (flag: string, value: string): string[] => {
      const i = SMALL.indexOf(flag);
      return i >= 0 ? [...SMALL.slice(0, i + 1), value, ...SMALL.slice(i + 2)] : [...SMALL, flag, value];
    };
    const cases: Array<[string[], RegExp]> = [
      [set("--heads", "3"), /--heads/],
      [set("--kv-heads", "3"), /--kv-heads/],
      [set("--batch-tokens", "16"), /--batch-tokens/],
      [set("--tokens", "100"), /--tokens/],
      [set("--corpus", "no-such-corpus"), /corpus/],
      [set("--corpus", corrupt), /ids\.u16\.bin/],
      [set("--backend", "gpu"), /--backend/],
      [set("--lr", "abc"), /--lr/],
    ];
    for (const [args, pattern] of cases) {
      const r = scaling(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, pattern);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("scaling train uses the native OpenBLAS product by default and records it; without the addon it says so once and trains on wasm", (t) => {
  const withAddon = scaling([...SMALL, "--json"]);
  assert.equal(withAddon.status, 0, withAddon.stderr);
  const backend = (JSON.parse(withAddon.stdout) as { backend: { name: string; blas?: { path: string; threads?: number } } }).backend;
  if (backend.name === "wasm") t.diagnostic(`native addon unavailable here: ${JSON.stringify(backend.blas)}`);
  else {
    assert.equal(backend.name, "wasm+openblas");
    assert.equal(backend.blas?.path, "native");
    assert.ok((backend.blas?.threads ?? 0) >= 1);
  }
  const without = scaling([...SMALL, "--json"], { SCALING_NATIVE_BLAS: "0" });
  assert.equal(without.status, 0, without.stderr);
  const out = JSON.parse(without.stdout) as { backend: { name: string; blas?: { path: string; reason?: string } } };
  assert.equal(out.backend.name, "wasm");
  assert.equal(out.backend.blas?.path, "wasm");
  const notices = without.stderr.split("\n").filter((l) => /native OpenBLAS unavailable/.test(l));
  assert.equal(notices.length, 1, without.stderr);
  assert.match(notices[0]!, /SCALING_NATIVE_BLAS=0/);
});
