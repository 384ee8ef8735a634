#!/usr/bin/env node
// Executes notebooks headless through the project's tslab kernelspec (jupyter/kernels/tslab) and writes the
// executed copies elsewhere, so committed notebooks stay without outputs.
// Usage: node scripts/run-notebooks.mjs [--out <dir>] [path/to/x.ipynb | name substring of notebooks/* ...]
//   default: every notebooks/*.ipynb, executed copies in results/tmp-notebooks/ (gitignored by results/**/tmp-*).
// Exit 1 if any notebook fails (a cell error, a kernel death, or jupyter missing); prints one line per notebook.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Per-notebook limit, seconds; notebooks here take seconds (install.md §3: 2–4 s each). */
const CELL_TIMEOUT_S = 600;

const args = process.argv.slice(2);
let outDir = join(root, "results", "tmp-notebooks");
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out") {
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
  TZ: "UTC",
};
if (spawnSync("jupyter", ["nbconvert", "--version"], { env, stdio: "ignore" }).status !== 0) {
  fail("jupyter nbconvert is not on PATH — apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel");
}

mkdirSync(outDir, { recursive: true });
let failures = 0;
for (const nb of notebooks) {
  const started = Date.now();
  const run = nbconvert(nb, outDir, false);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`ok   ${basename(nb)} ${seconds}s → ${join(outDir, basename(nb))}`);
    continue;
  }
  failures++;
  console.log(`FAIL ${basename(nb)} ${seconds}s\n${failureReport(nb, run.stderr).replace(/^/gm, "  ")}`);
}
process.exit(failures > 0 ? 1 : 0);

function nbconvert(nb, dir, allowErrors) {
  const flags = allowErrors ? ["--allow-errors"] : [];
  return spawnSync(
    "jupyter",
    ["nbconvert", "--to", "notebook", "--execute", ...flags, `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
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
