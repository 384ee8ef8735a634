import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { blasThreadsFor, DEFAULT_BLAS_THREADS, fallbackNotice, setupBlas } from "../../lib/train/blasSetup";
import { loadNativeGemm } from "../../lib/native/wasmGemm";

test("blasThreadsFor(configured, env) prefers the config, then leaves OPENBLAS_NUM_THREADS alone, else the default", () => {
  assert.equal(blasThreadsFor(2, "1"), 2);
  assert.equal(blasThreadsFor(undefined, "2"), undefined);
  assert.equal(blasThreadsFor(undefined, undefined), DEFAULT_BLAS_THREADS);
  assert.equal(blasThreadsFor(undefined, "abc"), DEFAULT_BLAS_THREADS);
  assert.equal(blasThreadsFor(undefined, "0"), DEFAULT_BLAS_THREADS);
});

test("setupBlas('wasm') keeps XNNPACK; setupBlas('native', 1) hooks the addon and sets one thread", (t) => {
  assert.deepEqual(setupBlas("wasm", undefined), { kernels: {}, suffix: "", used: { path: "wasm" } });
  const native = loadNativeGemm();
  if (!native.gemm) return t.skip(`native BLAS addon unavailable: ${native.reason}`);
  const setup = setupBlas("native", 1);
  assert.equal(setup.suffix, "+openblas");
  assert.equal(setup.kernels.gemm !== undefined && setup.kernels.gemmBatched !== undefined, true);
  assert.deepEqual(setup.used, { path: "native", coreName: native.config.openblas.coreName, threads: 1, threading: native.config.threading });
});

test("setupBlas without the addon: auto falls back with one stderr notice per process, native is a ConfigError naming blas", () => {
  // The addon's load outcome is cached per process, so the unavailable case runs in a child.
  const code = `
    const m = await import("./lib/train/blasSetup.ts");
    const a = m.setupBlas(undefined, undefined);
    const b = m.setupBlas("auto", 2);
    let err;
    try { m.setupBlas("native", undefined); } catch (e) { err = e; }
    console.log(JSON.stringify({ a: a.used.path, b: b.used.path, reason: a.used.reason, path: err?.path, name: err?.name, message: err?.message }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    encoding: "utf8",
    env: { ...process.env, SCALING_NATIVE_BLAS: "0" },
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim()) as Record<string, string>;
  assert.equal(out.a, "wasm");
  assert.equal(out.b, "wasm");
  assert.match(out.reason!, /SCALING_NATIVE_BLAS=0/);
  assert.equal(out.path, "blas");
  assert.equal(out.message!.split("\n").length, 1);
  assert.deepEqual(r.stderr.trim().split("\n"), [fallbackNotice(out.reason!)]);
});
