import type { ProgressState } from "./progress";

/**
 * Run counts and FLOPs done for one sweep, shared by the local pool and the queue executor so both
 * report progress and summaries the same way. FLOPs of runs in flight count as far as they got.
 */
export interface SweepTally {
  readonly counts: { trained: number; failed: number; diverged: number; done: number };
  /** A run in flight has trained this many FLOPs so far. */
  inFlight(key: string, flops: number): void;
  /** A run left flight without a record (aborted, or about to be retried). */
  landed(key: string): void;
  /** A run's record was stored: count it by status and its realised compute as done. */
  recorded(key: string, status: string, realisedCompute: number): void;
  /** The runs to train go out in this many groups (local pool); progress then shows groups too. */
  setGroups(total: number): void;
  /** One group finished (all its runs recorded). */
  groupDone(): void;
  report(): void;
}

export function createTally(runsTotal: number, flopsTotal: number, started: number, onProgress?: (p: ProgressState) => void): SweepTally {
  const counts = { trained: 0, failed: 0, diverged: 0, done: 0 };
  const flying = new Map<string, number>();
  let flopsDone = 0;
  const groups = { done: 0, total: 0 };
  const report = (): void =>
    onProgress?.({
      ...(groups.total > 0 ? { groupsDone: groups.done, groupsTotal: groups.total } : {}),
      runsDone: counts.done,
      runsTotal,
      flopsDone: flopsDone + [...flying.values()].reduce((a, b) => a + b, 0),
      flopsTotal,
      elapsedSeconds: (Date.now() - started) / 1000,
      failed: counts.failed,
      diverged: counts.diverged,
    });
  return {
    counts,
    inFlight: (key, flops) => void flying.set(key, flops),
    landed: (key) => void flying.delete(key),
    recorded: (key, status, realisedCompute) => {
      flying.delete(key);
      if (status === "diverged") counts.diverged++;
      else if (status === "failed") counts.failed++;
      else counts.trained++;
      counts.done++;
      flopsDone += realisedCompute;
      report();
    },
    setGroups: (total) => void (groups.total = total),
    groupDone: () => {
      groups.done++;
      report();
    },
    report,
  };
}
