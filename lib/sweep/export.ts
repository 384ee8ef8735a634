import { formatCsv } from "../io/csv";
import type { RunRecord } from "./record";
import { experimentDir, readRecordsOf, writeFileAtomic } from "./store";
import { join } from "node:path";

/**
 * `runs.csv`: one row per stored record in the column contract of `scaling fit` (lib/io/csv
 * RUN_COLUMNS): `compute` is the run's BUDGET (the IsoFLOP curve it belongs to), `loss` the final
 * validation bits per byte, `status` ok | diverged | failed (fitters use ok rows only, and the
 * `error` column says why a row is not ok). The other columns are for people and notebooks.
 */

export const RUNS_CSV_COLUMNS = [
  "compute",
  "model_scale",
  "tokens",
  "batch_tokens",
  "learning_rate",
  "loss",
  "status",
  "key",
  "realised_compute",
  "seed",
  "layers",
  "d_model",
  "heads",
  "seq",
  "steps",
  "tokens_trained",
  "train_loss_nats",
  "wall_seconds",
  "tokens_per_second",
  "backend",
  "error",
] as const;

/** One CSV row per record; planned tokens (whole steps) so unfinished runs still have a positive D. */
export function runsCsvRow(r: RunRecord): Record<(typeof RUNS_CSV_COLUMNS)[number], unknown> {
  return {
    compute: r.cell.budget,
    model_scale: r.modelScale,
    tokens: r.config.tokens,
    batch_tokens: r.config.batchTokens,
    learning_rate: r.config.learningRate,
    loss: r.status === "ok" ? r.bitsPerByte : null,
    status: r.status === "ok" && r.bitsPerByte === null ? "no-eval" : r.status,
    key: r.key,
    realised_compute: r.realisedCompute,
    seed: r.seed,
    layers: r.config.shape.layers,
    d_model: r.config.shape.dModel,
    heads: r.config.shape.heads,
    seq: r.config.shape.seq,
    steps: r.steps,
    tokens_trained: r.tokens,
    train_loss_nats: r.loss,
    wall_seconds: r.wallSeconds,
    tokens_per_second: r.tokensPerSecond,
    backend: r.backend.name,
    error: r.error ?? (r.status === "ok" && r.bitsPerByte === null ? "no validation bits per byte (eval.points 0?)" : null),
  };
}

/** Records as runs.csv text, sorted by budget, then M, B, η, seed. */
export function formatRunsCsv(records: readonly RunRecord[]): string {
  const sorted = [...records].sort(
    (a, b) =>
      a.cell.budget - b.cell.budget ||
      a.modelScale - b.modelScale ||
      a.config.batchTokens - b.config.batchTokens ||
      a.config.learningRate - b.config.learningRate ||
      a.seed - b.seed,
  );
  return formatCsv(sorted.map(runsCsvRow), RUNS_CSV_COLUMNS);
}

/** Write `<root>/<experiment>/runs.csv` atomically from these records; returns its path. */
export function writeRunsCsv(root: string, experiment: string, records: readonly RunRecord[]): string {
  const path = join(experimentDir(root, experiment), "runs.csv");
  writeFileAtomic(path, formatRunsCsv(records));
  return path;
}

/** Write `<root>/<experiment>/runs.csv` from every stored record (and those it reuses); returns its path and row count. */
export function exportRunsCsv(root: string, experiment: string, reuse: readonly string[] = []): { path: string; rows: number; invalid: number } {
  const { records, invalid } = readRecordsOf(root, experiment, reuse);
  return { path: writeRunsCsv(root, experiment, records), rows: records.length, invalid: invalid.length };
}
