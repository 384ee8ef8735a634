import type { RunPoint } from "../fit/types";

/**
 * Seed-to-seed spread of the final loss: runs that share (C, M, B, η) and differ only in seed.
 * DeepSeek LLM §3.1 (arXiv 2401.02954) calls a run near-optimal when its loss is within 0.25% of the
 * budget's best; that band only means something when it is wider than the loss's own noise, so the
 * study measures the noise and reports it beside the threshold. Pure: points in, a record out.
 */

export interface CellNoise {
  /** C, FLOPs. */
  readonly compute: number;
  readonly modelScale: number;
  readonly batchTokens: number;
  readonly learningRate: number;
  /** Seeds with an ok, finite loss. */
  readonly runs: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
  /** sd / mean. */
  readonly relativeSd: number;
  /** (max − min) / min: how far apart the luckiest and unluckiest seed land. */
  readonly relativeRange: number;
}

export interface SeedNoise {
  readonly cells: CellNoise[];
  /** Root mean square of the cells' relative sd, weighted by their degrees of freedom; null without a cell of ≥ 2 runs. */
  readonly pooledRelativeSd: number | null;
  /** The near-optimal threshold it is compared with. */
  readonly threshold: number;
  /** pooledRelativeSd / threshold: above 1, single-seed selection at this threshold is mostly noise. */
  readonly sdOverThreshold: number | null;
}

const cellKey = (p: RunPoint): string => [p.compute, p.modelScale, p.batchTokens, p.learningRate].join("|");

/** Groups ok runs by (C, M, B, η); cells with fewer than 2 runs are left out (no spread to measure). */
export function seedNoise(points: readonly RunPoint[], threshold: number): SeedNoise {
  const groups = new Map<string, RunPoint[]>();
  for (const p of points) {
    if (p.status !== "ok" || !Number.isFinite(p.loss)) continue;
    groups.set(cellKey(p), [...(groups.get(cellKey(p)) ?? []), p]);
  }
  const cells: CellNoise[] = [];
  for (const runs of groups.values()) {
    if (runs.length < 2) continue;
    const losses = runs.map((r) => r.loss);
    const mean = losses.reduce((s, v) => s + v, 0) / losses.length;
    const sd = Math.sqrt(losses.reduce((s, v) => s + (v - mean) ** 2, 0) / (losses.length - 1));
    const { compute, modelScale, batchTokens, learningRate } = runs[0]!;
    cells.push({ compute, modelScale, batchTokens, learningRate, runs: runs.length, mean, sd, relativeSd: sd / mean, relativeRange: (Math.max(...losses) - Math.min(...losses)) / Math.min(...losses) });
  }
  cells.sort((a, b) => a.compute - b.compute || a.modelScale - b.modelScale || a.batchTokens - b.batchTokens || a.learningRate - b.learningRate);
  const dof = cells.reduce((s, c) => s + c.runs - 1, 0);
  const pooledRelativeSd = dof > 0 ? Math.sqrt(cells.reduce((s, c) => s + (c.runs - 1) * c.relativeSd ** 2, 0) / dof) : null;
  return { cells, pooledRelativeSd, threshold, sdOverThreshold: pooledRelativeSd === null ? null : pooledRelativeSd / threshold };
}

/** One budget's pooled seed noise over many cells. */
export interface BudgetNoise {
  readonly compute: number;
  /** Cells with ≥ 2 seeds, and their seeds in all. */
  readonly cells: number;
  readonly runs: number;
  /** Pooled relative sd of one run's loss. */
  readonly pooledRelativeSd: number;
  /** Of a cell's mean over its seeds (pooled sd / √(runs per cell), the harmonic mean of the seed counts). */
  readonly meanRelativeSd: number;
}

/**
 * The cells' spread pooled per budget: with a grid of 25 cells × 4 seeds this is ~75 degrees of
 * freedom per budget, against 4 for one 5-seed cell. The sd of a cell's mean is what the
 * near-optimal band is compared with once the fits average seeds.
 */
export function noiseByBudget(noise: SeedNoise): BudgetNoise[] {
  const budgets = [...new Set(noise.cells.map((c) => c.compute))].sort((a, b) => a - b);
  return budgets.map((compute) => {
    const cells = noise.cells.filter((c) => c.compute === compute);
    const runs = cells.reduce((s, c) => s + c.runs, 0);
    const pooled = Math.sqrt(cells.reduce((s, c) => s + (c.runs - 1) * c.relativeSd ** 2, 0) / (runs - cells.length));
    const harmonicRuns = cells.length / cells.reduce((s, c) => s + 1 / c.runs, 0);
    return { compute, cells: cells.length, runs, pooledRelativeSd: pooled, meanRelativeSd: pooled / Math.sqrt(harmonicRuns) };
  });
}
