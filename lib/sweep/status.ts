import type { RunPlan } from "./expand";
import type { RunRecord } from "./record";

/**
 * Where a sweep stands: per budget, how many planned runs are done (ok), diverged, failed or still
 * pending, from the stored records. Records whose key is no longer planned (the spec changed)
 * are counted apart as stale, never silently mixed in.
 */

export interface BudgetStatus {
  /** Budget C, FLOPs. */
  readonly budget: number;
  readonly planned: number;
  readonly ok: number;
  readonly diverged: number;
  readonly failed: number;
  readonly pending: number;
}

export interface SweepStatus {
  readonly budgets: readonly BudgetStatus[];
  /** Stored records whose key the current spec does not plan. */
  readonly stale: number;
}

export function sweepStatus(plans: readonly RunPlan[], records: readonly RunRecord[]): SweepStatus {
  const byKey = new Map(records.map((r) => [r.key, r]));
  const planned = new Set(plans.map((p) => p.key));
  const budgets = [...new Set(plans.map((p) => p.cell.budget))].sort((a, b) => a - b);
  return {
    budgets: budgets.map((budget) => {
      const here = plans.filter((p) => p.cell.budget === budget).map((p) => byKey.get(p.key)?.status);
      const count = (s: string | undefined): number => here.filter((x) => x === s).length;
      return { budget, planned: here.length, ok: count("ok"), diverged: count("diverged"), failed: count("failed"), pending: count(undefined) };
    }),
    stale: records.filter((r) => !planned.has(r.key)).length,
  };
}
