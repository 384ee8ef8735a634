import { test } from "node:test";
import assert from "node:assert/strict";
import { decideCoreType, missingFlags } from "../../lib/native/coretype";

// Flag sets as /proc/cpuinfo prints them: this project's Zen 3 VM (AVX2, no AVX-512) and a Zen 5 VM.
const ZEN3 = new Set(["sse4_2", "avx", "avx2", "fma", "bmi2"]);
const ZEN5 = new Set([...ZEN3, "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"]);

test("decideCoreType({}) picks SkylakeX on an AVX-512 CPU and OpenBLAS's own detection otherwise", () => {
  assert.deepEqual(decideCoreType({ override: undefined, inherited: undefined, cpuFlags: ZEN5 }), {
    ok: true,
    coreType: "SkylakeX",
    source: "auto-avx512",
  });
  assert.deepEqual(decideCoreType({ override: undefined, inherited: "", cpuFlags: ZEN3 }), {
    ok: true,
    coreType: null,
    source: "autodetect",
  });
  // Unknown flags never lead to a forced AVX-512 choice.
  assert.deepEqual(decideCoreType({ override: undefined, inherited: undefined, cpuFlags: undefined }), {
    ok: true,
    coreType: null,
    source: "autodetect",
  });
});

test("decideCoreType({inherited}) keeps an inherited OPENBLAS_CORETYPE and hints when AVX-512 would be faster", () => {
  const zen5 = decideCoreType({ override: undefined, inherited: "Haswell", cpuFlags: ZEN5 });
  assert.ok(zen5.ok);
  assert.equal(zen5.coreType, "Haswell");
  assert.equal(zen5.source, "inherited");
  assert.match(zen5.hint ?? "", /SCALING_BLAS_CORETYPE=SkylakeX/);
  const zen3 = decideCoreType({ override: undefined, inherited: "Haswell", cpuFlags: ZEN3 });
  assert.deepEqual(zen3, { ok: true, coreType: "Haswell", source: "inherited" });
});

test("decideCoreType({override}) forces the override, and 'auto' ignores the inherited value", () => {
  assert.deepEqual(decideCoreType({ override: "SkylakeX", inherited: "Haswell", cpuFlags: ZEN5 }), {
    ok: true,
    coreType: "SkylakeX",
    source: "override",
  });
  assert.deepEqual(decideCoreType({ override: "auto", inherited: "Haswell", cpuFlags: ZEN5 }), {
    ok: true,
    coreType: "SkylakeX",
    source: "auto-avx512",
  });
  assert.deepEqual(decideCoreType({ override: "AUTO", inherited: "Haswell", cpuFlags: ZEN3 }), {
    ok: true,
    coreType: null,
    source: "autodetect",
  });
});

test("decideCoreType(…) refuses a core type whose instructions the CPU lacks, naming the variable", () => {
  const forced = decideCoreType({ override: "SkylakeX", inherited: undefined, cpuFlags: ZEN3 });
  assert.equal(forced.ok, false);
  assert.match(forced.ok ? "" : forced.reason, /^SCALING_BLAS_CORETYPE=SkylakeX needs CPU flags avx512f, .*SIGILL/);
  const inherited = decideCoreType({ override: undefined, inherited: "cooperlake", cpuFlags: ZEN3 });
  assert.match(inherited.ok ? "" : inherited.reason, /^OPENBLAS_CORETYPE=cooperlake needs/);
});

test("missingFlags(coreType, flags) lists what is absent, case-insensitively", () => {
  assert.deepEqual(missingFlags("COOPERLAKE", ZEN5), []);
  assert.deepEqual(missingFlags("Cooperlake", new Set([...ZEN5].filter((f) => f !== "avx512_bf16"))), ["avx512_bf16"]);
  assert.deepEqual(missingFlags("Haswell", new Set(["avx"])), ["avx2", "fma"]);
  assert.deepEqual(missingFlags("Prescott", new Set()), []);
});
