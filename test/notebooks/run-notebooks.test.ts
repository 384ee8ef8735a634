import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

/** Executes real notebooks through Jupyter and the project's tslab kernelspec (tens of seconds on 2 cores). */
const hasJupyter = spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status === 0;
const skip = hasJupyter ? false : "jupyter nbconvert is not on PATH (apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)";

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}

test("scripts/run-notebooks.mjs 01 executes notebooks/01-model-scale.ipynb with SVG and table outputs", { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), "notebooks-"));
  try {
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--out", out, "01-model-scale"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok {3}01-model-scale\.ipynb \d+\.\d+s/m);
    const executed = JSON.parse(readFileSync(join(out, "01-model-scale.ipynb"), "utf8")) as { cells: { outputs?: Output[] }[] };
    const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
    assert.ok(!outputs.some((o) => o.output_type === "error"));
    const svg = outputs.find((o) => o.data?.["image/svg+xml"]);
    assert.match(String([svg?.data?.["image/svg+xml"]].flat().join("")), /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const tables = outputs.filter((o) => /<table>/.test([o.data?.["text/html"] ?? ""].flat().join("")));
    assert.ok(tables.length >= 1, "a danfo table rendered as HTML");
    // Table 3's first row, 8×512: N₁ = 12·8·512² = 2.52e+7 at 3 significant digits.
    assert.ok([tables[0]?.data?.["text/html"]].flat().join("").includes("<td>2.52e+7</td>"));
    // The committed notebook itself stays without outputs.
    const committed = JSON.parse(readFileSync("notebooks/01-model-scale.ipynb", "utf8")) as { cells: { outputs?: unknown[] }[] };
    assert.ok(committed.cells.every((c) => (c.outputs ?? []).length === 0), "notebooks/01-model-scale.ipynb was committed with outputs");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("scripts/run-notebooks.mjs 02 03 04 05 executes the analysis notebooks on the committed tiny sweeps", { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), "notebooks-analysis-"));
  const names = ["02-hyperparameter-scaling", "03-isoflop-allocation", "04-extrapolate-7b-67b", "05-verify"];
  try {
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--out", out, ...names], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const name of names) {
      const executed = JSON.parse(readFileSync(join(out, `${name}.ipynb`), "utf8")) as { cells: { outputs?: (Output & { text?: string | string[] })[] }[] };
      const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
      assert.ok(!outputs.some((o) => o.output_type === "error"), name);
      // Each notebook says where its runs came from: committed records or a live sweep.
      const text = outputs.filter((o) => o.output_type === "stream").map((o) => [o.text ?? ""].flat().join("")).join("");
      assert.match(text, /tiny-(hyperparams|isoflop): (\d+ committed runs|no committed runs, so ran a live sweep)/, name);
      assert.ok(outputs.some((o) => /<table>/.test([o.data?.["text/html"] ?? ""].flat().join(""))), `${name}: a table`);
      assert.ok(outputs.some((o) => o.data?.["image/svg+xml"]), `${name}: a figure`);
      const committed = JSON.parse(readFileSync(`notebooks/${name}.ipynb`, "utf8")) as { cells: { outputs?: unknown[] }[] };
      assert.ok(committed.cells.every((c) => (c.outputs ?? []).length === 0), `notebooks/${name}.ipynb was committed with outputs`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("scripts/run-notebooks.mjs 06 executes the study notebook on the committed study results", { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), "notebooks-study-"));
  try {
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--out", out, "06-study"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const executed = JSON.parse(readFileSync(join(out, "06-study.ipynb"), "utf8")) as { cells: { outputs?: (Output & { text?: string | string[] })[] }[] };
    const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
    assert.ok(!outputs.some((o) => o.output_type === "error"));
    const text = outputs.filter((o) => o.output_type === "stream").map((o) => [o.text ?? ""].flat().join("")).join("");
    assert.match(text, /study-hyperparams: \d+ committed runs/);
    assert.match(text, /held-out C = 3\.20e\+12 FLOPs/);
    const html = outputs.map((o) => [o.data?.["text/html"] ?? ""].flat().join("")).join("");
    // The laws table carries the paper's exponents beside the fitted ones.
    for (const paper of ["0.3271", "0.5243"]) assert.ok(html.includes(`<td>${paper}</td>`), `paper exponent ${paper} in a table`);
    assert.equal(outputs.filter((o) => o.data?.["image/svg+xml"]).length, 2, "Figure 3 and Figure 4(a)");
    const committed = JSON.parse(readFileSync("notebooks/06-study.ipynb", "utf8")) as { cells: { outputs?: unknown[] }[] };
    assert.ok(committed.cells.every((c) => (c.outputs ?? []).length === 0), "notebooks/06-study.ipynb was committed with outputs");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("scripts/run-notebooks.mjs exits 1 on a failing cell and prints tslab's error text", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-fail-"));
  try {
    const nb = {
      cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: "const s: string = 42;" }],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(dir, "bad.ipynb"), JSON.stringify(nb));
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--out", join(dir, "out"), join(dir, "bad.ipynb")], { encoding: "utf8" });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^FAIL bad\.ipynb/m);
    assert.match(run.stdout, /Type 'number' is not assignable to type 'string'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
