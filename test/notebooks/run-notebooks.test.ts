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


type Cell = { cell_type: string; id?: string; execution_count?: number | null; outputs?: (Output & { text?: string | string[]; metadata?: Record<string, unknown> })[] };
const NOTEBOOKS = ["01-model-scale", "02-hyperparameter-scaling", "03-isoflop-allocation", "04-extrapolate-7b-67b", "05-verify", "06-study"];
/** Committed notebooks with outputs, together (the budget: PNG at 2×, no second SVG copy). */
const NOTEBOOKS_MAX_BYTES = 5e6;
const joined = (v: unknown): string => [v ?? ""].flat().join("");

test("scripts/run-notebooks.mjs --check finds every committed notebook current, with PNG figures and human table headers", { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), "notebooks-"));
  try {
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--check", "--out", out], { encoding: "utf8" });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}\nregenerate with \`npm run notebooks\` and commit notebooks/`);
    let bytes = 0;
    for (const name of NOTEBOOKS) {
      assert.match(run.stdout, new RegExp(`^ok {3}${name}\\.ipynb \\d+\\.\\d+s: outputs current`, "m"));
      const text = readFileSync(`notebooks/${name}.ipynb`, "utf8");
      bytes += text.length;
      const committed = JSON.parse(text) as { cells: Cell[] };
      const code = committed.cells.filter((c) => c.cell_type === "code");
      assert.ok(committed.cells.every((c) => /^cell-\d\d$/.test(c.id ?? "")), `${name}: every cell has an id`);
      assert.deepEqual(code.map((c) => c.execution_count), code.map((_, i) => i + 1), `${name}: executed in order`);
      const outputs = code.flatMap((c) => c.outputs ?? []);
      assert.ok(!outputs.some((o) => o.output_type === "error"), name);
      const figures = outputs.filter((o) => o.data?.["image/png"]);
      assert.ok(figures.length >= 1, `${name}: a figure`);
      for (const f of figures) {
        assert.ok(Buffer.from(joined(f.data?.["image/png"]), "base64").subarray(1, 4).toString() === "PNG", `${name}: PNG bytes`);
        assert.equal(f.data?.["image/svg+xml"], undefined, `${name}: no second SVG copy in the committed file`);
      }
      const html = outputs.map((o) => joined(o.data?.["text/html"])).join("");
      assert.ok(html.includes("<table>"), `${name}: a table`);
      assert.ok(!/<th>[a-z]+[A-Z][A-Za-z]*<\/th>/.test(html), `${name}: no camelCase field names as headers`);
    }
    assert.ok(bytes <= NOTEBOOKS_MAX_BYTES, `${bytes} bytes of notebooks`);
    const read = (name: string) => (JSON.parse(readFileSync(`notebooks/${name}.ipynb`, "utf8")) as { cells: Cell[] }).cells.flatMap((c) => c.outputs ?? []);
    const streams = (name: string) => read(name).filter((o) => o.output_type === "stream").map((o) => joined(o.text)).join("");
    const tables = (name: string) => read(name).map((o) => joined(o.data?.["text/html"])).join("");
    // Table 3's first row, 8×512: N₁ = 12·8·512² = 2.52e+7 at 3 significant digits, under a header with its unit.
    assert.ok(tables("01-model-scale").includes("<td>2.52e+7</td>") && tables("01-model-scale").includes("<th>N₁ (non-embedding params)</th>"));
    for (const name of NOTEBOOKS.slice(1, 5)) assert.match(streams(name), /tiny-(hyperparams|isoflop): (\d+ committed runs|no committed runs, so ran a live sweep)/, name);
    // 04 extrapolates with the study's laws beside the quick study's and the paper's.
    for (const header of ["DeepSeek Eq. 1/4", "study", "study 95%", "quick study", "quick study 95%", "Table 2"]) assert.ok(tables("04-extrapolate-7b-67b").includes(`<th>${header}</th>`), header);
    assert.match(streams("06-study"), /study-hyperparams: \d+ committed runs/);
    assert.match(streams("06-study"), /held-out C = 3\.20e\+12 FLOPs/);
    // The laws table carries the paper's exponents beside the fitted ones.
    for (const paper of ["0.3271", "0.5243"]) assert.ok(tables("06-study").includes(`<td>${paper}</td>`), `paper exponent ${paper} in a table`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("scripts/run-notebooks.mjs --check reports a notebook whose committed outputs no longer match a fresh run as stale", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-stale-"));
  try {
    const nb = {
      cells: [{ cell_type: "code", id: "cell-00", execution_count: 1, metadata: {}, outputs: [{ output_type: "stream", name: "stdout", text: ["3\n"] }], source: "console.log(1 + 1);" }],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(dir, "stale.ipynb"), JSON.stringify(nb));
    const run = spawnSync(process.execPath, ["scripts/run-notebooks.mjs", "--check", join(dir, "stale.ipynb")], { encoding: "utf8" });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^STALE stale\.ipynb .*cell 0 \(cell-00\) has outputs that differ from a fresh run.*npm run notebooks/m);
    assert.equal(JSON.parse(readFileSync(join(dir, "stale.ipynb"), "utf8")).cells[0].outputs[0].text[0], "3\n", "--check writes nothing");
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
