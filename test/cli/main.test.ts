import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatCsv } from "../../lib/io/csv";
import { DEEPSEEK_EQ1, DEEPSEEK_EQ4 } from "../../lib/laws/published";

/**
 * End-to-end: spawn `node bin/scaling.mjs …` (≈ 0.5 s each, so few) and check JSON and exit codes.
 * The fit commands run on synthetic sweeps whose optimum follows DeepSeek's own laws exactly.
 */

/** The near-optimal clouds and parabolas are symmetric about the truth: only float error remains. */
const RECOVERY_REL_TOL = 1e-6;

function scaling(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["bin/scaling.mjs", ...argv], { encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const json = (r: { stdout: string }): Record<string, any> => JSON.parse(r.stdout);
const law = (l: { coefficient: number; exponent: number }, c: number): number => l.coefficient * c ** l.exponent;
const near = (got: number, want: number, rel: number): boolean => Math.abs(got / want - 1) <= rel;
const BUDGETS = [1e17, 3e17, 1e18, 3e18, 1e19];
const COLUMNS = ["compute", "model_scale", "tokens", "batch_tokens", "learning_rate", "loss", "status"];

/** Batch × LR grid in steps of half an octave around Eq. 1; loss rises 1 % per squared octave. */
function hyperparamRuns(): Record<string, unknown>[] {
  const offsets = [-1, -0.5, 0, 0.5, 1];
  return BUDGETS.flatMap((c) =>
    offsets.flatMap((db) =>
      offsets.map((dl) => ({
        compute: c, model_scale: 1e8, tokens: c / 1e8,
        batch_tokens: law(DEEPSEEK_EQ1.batch, c) * 2 ** db,
        learning_rate: law(DEEPSEEK_EQ1.learningRate, c) * 2 ** dl,
        loss: 3 * c ** -0.05 * (1 + 0.01 * (db * db + dl * dl)), status: "ok",
      })),
    ),
  );
}

/** Nine M per budget around Eq. 4; loss is a parabola in ln M with its vertex at M_opt. */
function isoflopRuns(): Record<string, unknown>[] {
  return BUDGETS.flatMap((c) =>
    [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1].map((d) => {
      const m = law(DEEPSEEK_EQ4.modelScale, c) * Math.exp(d);
      return { compute: c, model_scale: m, tokens: c / m, batch_tokens: 1e5, learning_rate: 1e-3, loss: 3 * c ** -0.05 + 0.05 * d * d, status: "ok" };
    }),
  );
}

test("scaling scale --json prints exactly N1, N2, sixN1, sixN2, M, Mexact, params (67B exact M)", () => {
  const r = scaling("scale", "--layers", "95", "--d-model", "8192", "--heads", "64", "--kv-heads", "8", "--ffn", "22016", "--seq", "4096", "--vocab", "102400", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  assert.deepEqual(Object.keys(out), ["N1", "N2", "sixN1", "sixN2", "M", "Mexact", "params"]);
  assert.equal(out.Mexact, 432_735_731_712);
  assert.equal(out.M, 72 * 95 * 8192 ** 2 + 12 * 95 * 8192 * 4096); // Eq. 2
});

test("scaling predict --compute 4.5e23 --json gives Figure 4's M_opt ≈ 4.3e11 and D_opt ≈ 1.04e12", () => {
  const r = scaling("predict", "--compute", "4.5e23", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  for (const key of ["compute", "batchTokens", "batchSequences", "learningRate", "modelScale", "tokens", "shape"]) assert.ok(key in out, key);
  assert.equal(Number(out.modelScale.toPrecision(2)), 4.3e11);
  assert.equal(Number(out.tokens.toPrecision(3)), 1.04e12);
  assert.equal(out.batchSequences, out.batchTokens / 4096);
  assert.equal(out.shape.vocab, 102400);
});

test("scaling fit hyperparams|isoflop --json recover Eq. 1 and Eq. 4, and their merged JSON is a laws file for predict", () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-"));
  const hyperCsv = join(dir, "hyper.csv");
  const isoCsv = join(dir, "iso.csv");
  writeFileSync(hyperCsv, formatCsv(hyperparamRuns(), COLUMNS));
  writeFileSync(isoCsv, formatCsv(isoflopRuns(), COLUMNS));

  const hyper = scaling("fit", "hyperparams", hyperCsv, "--threshold", "0.0025", "--json");
  assert.equal(hyper.code, 0, hyper.stderr);
  const h = json(hyper);
  assert.ok(near(h.batch.exponent, DEEPSEEK_EQ1.batch.exponent, RECOVERY_REL_TOL), `batch exponent ${h.batch.exponent}`);
  assert.ok(near(h.learningRate.exponent, DEEPSEEK_EQ1.learningRate.exponent, RECOVERY_REL_TOL), `lr exponent ${h.learningRate.exponent}`);
  assert.equal(h.dropped.length, BUDGETS.length * 20, "5 of 25 runs per budget are within 0.25 % of the best");

  const iso = scaling("fit", "isoflop", isoCsv, "--json");
  assert.equal(iso.code, 0, iso.stderr);
  const i = json(iso);
  assert.ok(near(i.modelScale.exponent, DEEPSEEK_EQ4.modelScale.exponent, RECOVERY_REL_TOL), `M exponent ${i.modelScale.exponent}`);
  // The synthetic D_opt is C / M_opt exactly: coefficient 1/0.1715 (the paper prints 5.8316), exponent 1 − 0.5243.
  assert.ok(near(i.tokens.coefficient, 1 / DEEPSEEK_EQ4.modelScale.coefficient, RECOVERY_REL_TOL), `D coefficient ${i.tokens.coefficient}`);
  assert.ok(near(i.tokens.exponent, 1 - DEEPSEEK_EQ4.modelScale.exponent, RECOVERY_REL_TOL));
  assert.equal(i.budgets.length, BUDGETS.length);

  const lawsFile = join(dir, "laws.json");
  writeFileSync(lawsFile, JSON.stringify({ ...h, ...i }));
  const p = scaling("predict", "--compute", "1e20", "--laws", lawsFile, "--json");
  assert.equal(p.code, 0, p.stderr);
  const out = json(p);
  assert.ok(near(out.batchTokens, law(DEEPSEEK_EQ1.batch, 1e20), RECOVERY_REL_TOL));
  assert.ok(near(out.modelScale, law(DEEPSEEK_EQ4.modelScale, 1e20), RECOVERY_REL_TOL));
  const [lo, hi] = out.intervals.batchTokens;
  assert.ok(lo <= out.batchTokens && out.batchTokens <= hi, "the bootstrap interval brackets the prediction");
  assert.ok(out.intervals.modelScale && out.intervals.learningRate && out.intervals.tokens);

  const bad = join(dir, "bad.csv");
  writeFileSync(bad, "compute,model_scale,tokens,batch_tokens,learning_rate,loss\n1e17,1e8,1e9,1e5,abc,1.2\n");
  const b = scaling("fit", "isoflop", bad);
  assert.equal(b.code, 2);
  assert.equal(b.stderr.trim().split("\n").length, 1);
  assert.match(b.stderr, /bad\.csv:2:5.*learning_rate "abc"/);
});

test("scaling: bad input exits 2 with one stderr line; --help exits 0", () => {
  for (const argv of [["predict", "--compute", "1e20", "--laws", "nope"], ["scale", "--layers", "2", "--d-model"], ["predict", "--compute", "-5"], ["nosuch"], ["sweep", "tiny-isoflop", "--stall-seconds", "0"], ["study", "--plan", "--stall-seconds", "2.5"]]) {
    const r = scaling(...argv);
    assert.equal(r.code, 2, argv.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /    at /, "no stack trace");
  }
  const help = scaling("predict", "--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--compute C/);
  assert.match(scaling("sweep", "tiny-isoflop", "--stall-seconds", "0").stderr, /--stall-seconds: 0 is not a whole number ≥ 1/);
});
