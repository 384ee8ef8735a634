import type { RunPoint } from "./types";

/**
 * Checks of parsed run rows that are warnings, not errors: a row repeated exactly (a concatenated or
 * twice-exported CSV) counts one run twice and narrows every bootstrap interval; a status the fitters
 * do not know (e.g. `OK`) silently leaves the row out. Both name the lines, so they can be fixed.
 * Lines assume one line per row after the header (line 1), as `scaling export` writes them.
 */

/** The statuses runs.csv carries (lib/sweep/export): only `ok` rows are fitted. */
export const KNOWN_STATUSES: readonly string[] = ["ok", "diverged", "failed"];

const lineOf = (index: number): number => index + 2;

function signature(p: RunPoint): string {
  return JSON.stringify([p.compute, p.modelScale, p.tokens, p.batchTokens, p.learningRate, Number.isNaN(p.loss) ? null : p.loss, p.status, p.key ?? ""]);
}

/** One line per problem: exact duplicate rows (by the first line they repeat) and unknown statuses. */
export function runRowWarnings(points: readonly RunPoint[], file = "runs.csv"): string[] {
  const warnings: string[] = [];
  const first = new Map<string, number>();
  const repeats = new Map<number, number[]>();
  points.forEach((p, i) => {
    const sig = signature(p);
    const at = first.get(sig);
    if (at === undefined) first.set(sig, i);
    else repeats.set(at, [...(repeats.get(at) ?? []), i]);
  });
  for (const [at, again] of repeats) {
    warnings.push(`${file}: line${again.length > 1 ? "s" : ""} ${again.map(lineOf).join(", ")} repeat line ${lineOf(at)} exactly (same run, same loss): a repeated run narrows the intervals — remove the copies`);
  }
  const unknown = points.map((p, i) => ({ p, i })).filter(({ p }) => !KNOWN_STATUSES.includes(p.status));
  for (const { p, i } of unknown) {
    warnings.push(`${file}:${lineOf(i)}: status "${p.status}" is not one of ${KNOWN_STATUSES.join(", ")}: the row is left out of the fit — write ${KNOWN_STATUSES.includes(p.status.toLowerCase()) ? `"${p.status.toLowerCase()}"` : "a known status"}`);
  }
  return warnings;
}
