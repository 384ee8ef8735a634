import { groupKeyOf, maxGroupRuns } from "../train/group";
import { ConfigError } from "../util/errors";
import type { RunPlan } from "./expand";

/**
 * How a sweep's runs go to its workers: plans that can train in lockstep (same shape, sequence,
 * batch tokens, step count and every other setting but learning rate, schedule and seed; see
 * lib/train/group) form groups of at most `limit` runs and what memory allows. Pure.
 */

/** Runs per group when `--group` is not given: measured fastest per CPU-second at the 1e12 stage-1 shape (scripts/bench-group.ts: 10 beat 5 and 20). */
export const DEFAULT_GROUP_RUNS = 10;

export interface GroupOptions {
  /** Most runs per group. Default DEFAULT_GROUP_RUNS. */
  readonly limit?: number;
  /** The limit came from the user (`--group`): a group it makes larger than memory allows is an error, not silently smaller. */
  readonly explicit?: boolean;
  /** Workers that will train the groups: groups are split until every worker has one, where runs allow. Default 1. */
  readonly workers?: number;
}

/** `items` in `parts` contiguous chunks whose sizes differ by at most one. */
function evenChunks<T>(items: readonly T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.slice(Math.floor((i * items.length) / parts), Math.floor(((i + 1) * items.length) / parts)));
}

/** The validated `--group` value: a whole number ≥ 1. */
export function checkGroupLimit(limit: number): number {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new ConfigError(`${limit} is not a whole number ≥ 1`, "--group", "pass e.g. --group 10, or --group 1 to train every run alone");
  return limit;
}

/** The plans as groups, in the order their first plan appears. Throws a ConfigError naming `--group` when an explicit limit exceeds memory. */
export function groupPlans(plans: readonly RunPlan[], options: GroupOptions = {}): RunPlan[][] {
  const limit = checkGroupLimit(options.limit ?? DEFAULT_GROUP_RUNS);
  const byKey = new Map<string, RunPlan[]>();
  for (const p of plans) {
    const key = groupKeyOf(p.config);
    const list = byKey.get(key);
    if (list) list.push(p);
    else byKey.set(key, [p]);
  }
  const groups: RunPlan[][] = [];
  for (const members of byKey.values()) {
    const fit = maxGroupRuns(members[0]!.config);
    if (options.explicit && limit > fit && members.length > fit) {
      const s = members[0]!.config.shape;
      throw new ConfigError(
        `groups of ${limit} runs of shape ${s.layers}×${s.dModel} at ${members[0]!.config.batchTokens} tokens per step exceed memory (at most ${fit} fit)`,
        "--group",
        `pass --group ${fit} or less, or leave it out to size groups by memory`,
      );
    }
    const size = Math.min(limit, fit);
    groups.push(...evenChunks(members, Math.ceil(members.length / size)));
  }
  // Every worker gets a group where runs allow: split the largest group in two until then.
  const workers = options.workers ?? 1;
  while (groups.length < workers) {
    const largest = groups.reduce((best, g, i) => (g.length > groups[best]!.length ? i : best), 0);
    const g = groups[largest];
    if (!g || g.length < 2) break;
    groups.splice(largest, 1, ...evenChunks(g, 2));
  }
  return groups;
}
