import type { RunPoint } from "../fit/types";
import type { RunRecord } from "../sweep/record";

/**
 * Run records as the fitters see them (the `runs.csv` contract of lib/sweep/export): compute is the
 * run's BUDGET (the curve it belongs to), loss its final validation bits per byte. Records are read
 * from their stored resolved config and design cell, never from names.
 */

/** Design kinds an experiment can hold (lib/sweep/expand `designCellSchema.kind`). */
export type DesignKind = "hyperparams" | "isoflop";

/** Status given to an `ok` run that has no validation bits per byte (nothing to fit). */
export const NO_EVAL_STATUS = "no-eval";

/** One record as a RunPoint; a run without a loss keeps a non-ok status so fitters leave it out. */
export function pointOfRecord(r: RunRecord): RunPoint {
  const noEval = r.status === "ok" && r.bitsPerByte === null;
  return Object.freeze({
    compute: r.cell.budget,
    modelScale: r.modelScale,
    tokens: r.config.tokens,
    batchTokens: r.config.batchTokens,
    learningRate: r.config.learningRate,
    loss: r.bitsPerByte ?? NaN,
    status: noEval ? NO_EVAL_STATUS : r.status,
    key: r.key,
  });
}

/** Records split by design kind, as points, in key order. */
export function pointsByKind(records: readonly RunRecord[]): Record<DesignKind, RunPoint[]> {
  const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    hyperparams: sorted.filter((r) => r.cell.kind === "hyperparams").map(pointOfRecord),
    isoflop: sorted.filter((r) => r.cell.kind === "isoflop").map(pointOfRecord),
  };
}

/**
 * One point per design cell: runs that differ only in seed (same C, M, D, B, η) become one point whose
 * loss is the mean of their ok losses and whose key joins theirs with "+". The paper's near-optimal
 * band (0.25%) compares configurations, so their mean loss is what is compared: picking the lowest of
 * several seeds instead would favour lucky draws. Runs that are not ok stay single points (they are
 * dropped with their reason); cells with one ok run come back unchanged.
 */
export function meanOverSeeds(points: readonly RunPoint[]): RunPoint[] {
  const cells = new Map<string, RunPoint[]>();
  const out: RunPoint[] = [];
  for (const p of points) {
    if (p.status !== "ok") {
      out.push(p);
      continue;
    }
    const id = [p.compute, p.modelScale, p.tokens, p.batchTokens, p.learningRate].join("|");
    cells.set(id, [...(cells.get(id) ?? []), p]);
  }
  for (const runs of cells.values()) {
    if (runs.length === 1) out.push(runs[0]!);
    else out.push(Object.freeze({ ...runs[0]!, loss: runs.reduce((s, r) => s + r.loss, 0) / runs.length, key: runs.map((r) => r.key ?? "").join("+") }));
  }
  return out;
}

/** Run keys of points (in order; points without a key are listed as ""). */
export const keysOf = (points: readonly RunPoint[]): string[] => points.map((p) => p.key ?? "");
