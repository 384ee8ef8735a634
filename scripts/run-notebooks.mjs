#!/usr/bin/env node
// Executes notebooks headless through the project's tslab kernelspec (jupyter/kernels/tslab). The notebooks are
// committed executed, with their outputs (figures as PNG), so this script is how they are regenerated.
// Usage: node scripts/run-notebooks.mjs [--check] [--out <dir>] [path/to/x.ipynb | name substring of notebooks/* ...]
//   default (`npm run notebooks`): every notebooks/*.ipynb, executed and written back in place.
//   --out DIR: executed copies go to DIR instead; the notebooks are left as they are.
//   --check:   executes each notebook and compares its outputs with the committed ones; a notebook whose outputs
//              differ (the code or the results changed since it was executed) is reported stale. Nothing is written
//              in place.
// Exit 1 if any notebook fails (a cell error, a kernel death, jupyter missing) or, with --check, is stale; prints
// one line per notebook.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Per-notebook limit, seconds; notebooks here take seconds (install.md §3: 2–4 s each). */
const CELL_TIMEOUT_S = 600;

const args = process.argv.slice(2);
let outDir = null;
let check = false;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--check") check = true;
  else if (args[i] === "--out") {
    const value = args[++i];
    if (!value) fail("--out: missing directory — pass e.g. --out /tmp/notebooks");
    outDir = resolve(value);
  } else filters.push(args[i]);
}

const all = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(root, "notebooks", f));
const explicit = filters.filter((f) => f.endsWith(".ipynb") && existsSync(f)).map((f) => resolve(f));
const named = filters.filter((f) => !(f.endsWith(".ipynb") && existsSync(f)));
const notebooks = filters.length === 0 ? all : [...explicit, ...all.filter((f) => named.some((s) => f.includes(s)))];
if (notebooks.length === 0) fail(`no notebooks match ${filters.join(" ") || "notebooks/*.ipynb"} — check the names under notebooks/`);

const env = {
  ...process.env,
  JUPYTER_PATH: [join(root, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  PATH: [join(root, "node_modules", ".bin"), process.env.PATH].filter(Boolean).join(delimiter),
  PYDEVD_DISABLE_FILE_VALIDATION: "1", // silences a harmless debugger warning from Debian's ipykernel
  SCALING_NOTEBOOK_PNG_ONLY: "1", // lib/notebook/display.ts: committed figures as PNG only (no second SVG copy)
  TZ: "UTC",
};
if (spawnSync("jupyter", ["nbconvert", "--version"], { env, stdio: "ignore" }).status !== 0) {
  fail("jupyter nbconvert is not on PATH — apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel");
}

const scratch = outDir === null ? mkdtempSync(join(tmpdir(), "run-notebooks-out-")) : outDir;
mkdirSync(scratch, { recursive: true });
let failures = 0;
for (const nb of notebooks) {
  const started = Date.now();
  const run = nbconvert(nb, scratch, false);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failures++;
    console.log(`FAIL ${basename(nb)} ${seconds}s\n${failureReport(nb, run.stderr).replace(/^/gm, "  ")}`);
    continue;
  }
  const executed = join(scratch, basename(nb));
  writeFileSync(executed, serialize(numberCells(normalize(JSON.parse(readFileSync(executed, "utf8"))))));
  if (check) {
    const difference = firstDifference(JSON.parse(readFileSync(nb, "utf8")), JSON.parse(readFileSync(executed, "utf8")));
    if (difference !== null) {
      failures++;
      console.log(`STALE ${basename(nb)} ${seconds}s: ${difference} — the code or the results changed since it was executed; regenerate with \`npm run notebooks\``);
    } else console.log(`ok   ${basename(nb)} ${seconds}s: outputs current`);
  } else if (outDir === null) {
    copyFileSync(executed, nb);
    console.log(`ok   ${basename(nb)} ${seconds}s → ${relative(root, nb)} (executed in place)`);
  } else console.log(`ok   ${basename(nb)} ${seconds}s → ${executed}`);
}
if (outDir === null) rmSync(scratch, { recursive: true, force: true });
process.exit(failures > 0 ? 1 : 0);

/**
 * Stable form of an executed notebook: consecutive stream outputs of one name merged (how a cell's log lines are
 * split into messages depends on timing), and no per-cell execution timestamps.
 */
function normalize(notebook) {
  for (const cell of notebook.cells ?? []) {
    if (cell.metadata) delete cell.metadata.execution;
    if (!cell.outputs) continue;
    const merged = [];
    for (const o of cell.outputs) {
      const last = merged.at(-1);
      if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) last.text = [last.text].flat().join("") + [o.text].flat().join("");
      else merged.push({ ...o });
    }
    for (const o of merged) if (o.output_type === "stream") o.text = splitLines([o.text].flat().join(""));
    cell.outputs = merged;
  }
  return notebook;
}

/**
 * Execution counts 1, 2, … on the code cells: tslab sends no execute_input message, from which nbclient takes the
 * count, so an executed notebook would keep null counts although every cell ran once, in order, in one fresh kernel.
 */
function numberCells(notebook) {
  let count = 0;
  for (const cell of notebook.cells ?? []) {
    if (cell.cell_type !== "code") continue;
    cell.execution_count = ++count;
    for (const o of cell.outputs ?? []) if (o.output_type === "execute_result") o.execution_count = count;
  }
  return notebook;
}

/** nbformat's own layout (one-space indent, a trailing newline) so regenerated files diff cleanly. */
function serialize(notebook) {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

function splitLines(text) {
  return text.split(/(?<=\n)/).filter((l) => l !== "");
}

/** Where a committed notebook differs from its fresh execution (sources, outputs, execution counts), or null. */
function firstDifference(committed, executed) {
  const a = committed.cells ?? [];
  const b = executed.cells ?? [];
  if (a.length !== b.length) return `${a.length} cells committed, ${b.length} executed`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].cell_type !== "code") continue;
    if ((a[i].execution_count ?? null) !== (b[i].execution_count ?? null)) return `cell ${i} (${a[i].id ?? "no id"}) was not executed in order`;
    const outputs = (c) => JSON.stringify(normalize({ cells: [structuredClone(c)] }).cells[0].outputs ?? []);
    if (outputs(a[i]) !== outputs(b[i])) return `cell ${i} (${a[i].id ?? "no id"}) has outputs that differ from a fresh run`;
  }
  return null;
}

function nbconvert(nb, dir, allowErrors) {
  const flags = allowErrors ? ["--allow-errors"] : [];
  return spawnSync(
    "jupyter",
    ["nbconvert", "--to", "notebook", "--execute", ...flags, `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
      "--ExecutePreprocessor.record_timing=False",
      "--ExecutePreprocessor.kernel_name=tslab", "--output-dir", dir, nb],
    { cwd: root, env, encoding: "utf8" },
  );
}

/**
 * nbconvert's own message for a tslab error is an empty "<Error>:"; tslab writes the real text (compile errors,
 * stack traces) to the cell's stderr stream. On failure only, run once more with --allow-errors into a scratch
 * folder and read those streams back.
 */
function failureReport(nb, stderr) {
  const scratch = mkdtempSync(join(tmpdir(), "run-notebooks-"));
  try {
    nbconvert(nb, scratch, true);
    const executed = join(scratch, basename(nb));
    const cells = existsSync(executed) ? JSON.parse(readFileSync(executed, "utf8")).cells ?? [] : [];
    const messages = cells.flatMap((cell, index) =>
      (cell.outputs ?? [])
        .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
        .map((o) => `cell ${index}: ${o.output_type === "error" ? `${o.ename}: ${o.evalue}` : [o.text].flat().join("").trim()}`),
    );
    return [lastLines(stderr, 8), ...messages].join("\n");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function lastLines(text, count = 15) {
  return (text ?? "").trim().split("\n").slice(-count).join("\n");
}

function fail(message) {
  console.error(`run-notebooks: ${message}`);
  process.exit(1);
}
