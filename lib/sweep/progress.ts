/**
 * The sweep progress line (stderr): runs (and, on the local pool, groups of runs trained together)
 * done/total, FLOPs done/total, elapsed and ETA. Pure formatting; the runner feeds it and the CLI
 * decides where it goes.
 */

export interface ProgressState {
  readonly runsDone: number;
  readonly runsTotal: number;
  /** Compute done, FLOPs (finished runs plus the trained part of running ones). */
  readonly flopsDone: number;
  readonly flopsTotal: number;
  readonly elapsedSeconds: number;
  readonly failed: number;
  readonly diverged: number;
  /** Groups (one process each) finished and in all, when the runs go out in groups. */
  readonly groupsDone?: number;
  readonly groupsTotal?: number;
}

/** Seconds as `1h02m`, `3m05s` or `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** ETA from the compute rate so far; undefined until some compute is done. */
export function etaSeconds(p: ProgressState): number | undefined {
  if (p.flopsDone <= 0 || p.elapsedSeconds <= 0) return undefined;
  return (p.elapsedSeconds * Math.max(0, p.flopsTotal - p.flopsDone)) / p.flopsDone;
}

export function formatProgress(p: ProgressState, width = 24): string {
  const fraction = p.flopsTotal > 0 ? Math.min(1, p.flopsDone / p.flopsTotal) : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  const eta = etaSeconds(p);
  const issues = [p.failed ? `${p.failed} failed` : "", p.diverged ? `${p.diverged} diverged` : ""].filter(Boolean).join(", ");
  return (
    `${bar} runs ${p.runsDone}/${p.runsTotal}${p.groupsTotal !== undefined ? ` in groups ${p.groupsDone ?? 0}/${p.groupsTotal}` : ""}  FLOPs ${p.flopsDone.toExponential(2)}/${p.flopsTotal.toExponential(2)}` +
    `  ${formatDuration(p.elapsedSeconds)} elapsed  ETA ${eta === undefined ? "?" : formatDuration(eta)}${issues ? `  (${issues})` : ""}`
  );
}
