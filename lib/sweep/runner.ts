import { createTally } from "./tally";
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { runResultSchema } from "../train/config";
import { experimentsOf, SWEEP_CODE_VERSION, type RunPlan } from "./expand";
import type { ProgressState } from "./progress";
import { failedRecord, recordOf, type RunRecord } from "./record";
import { claimRun } from "./claims";
import { cleanTempFiles, readRecord, readRecordsOf, writeRecord } from "./store";
import type { WorkerMessage } from "./workerMain";
import { groupPlans } from "./group";

/**
 * Runs a sweep's plans on a pool of child processes, one group of runs per process at a time
 * (lib/sweep/group: runs of one shape train in lockstep; a group of one is a plain run): a crash
 * kills one group, not the sweep. Finished keys (ok or diverged) are skipped, so a second
 * invocation resumes and retrains only the runs not yet recorded. Failed attempts are retried;
 * aborting (Ctrl-C) kills the children and writes nothing for the runs in flight. Only the parent
 * writes records, each atomically, one per run.
 */

/** Characters of a crashed worker's stderr kept in its error. */
const STDERR_TAIL_CHARS = 600;

/** Default seconds without any message from a worker before it is killed as stalled (it reports progress every 250 ms). */
export const DEFAULT_STALL_SECONDS = 600;

export interface RunSweepOptions {
  /** Root of the results store. Default "results". */
  readonly resultsDir?: string;
  /** Worker processes. Default: one per core (os.availableParallelism()). */
  readonly workers?: number;
  /** Extra attempts after a failed one (crash, exit, throw). Default 2. */
  readonly retries?: number;
  /** Re-attempt runs whose stored record is `failed`. Default true. */
  readonly retryFailed?: boolean;
  /** Worker entry script. Default: lib/sweep/workerMain.ts of this checkout. */
  readonly workerScript?: string;
  /** Abort (e.g. on SIGINT): children are killed and no record is written for them. */
  readonly signal?: AbortSignal;
  /** Called whenever progress changes. */
  readonly onProgress?: (state: ProgressState) => void;
  /**
   * Called once per stored record, with the seconds from its group's first process start to the
   * record (all attempts), the number of runs in that group, and the CPU seconds of the group's
   * successful process (undefined for failed records).
   */
  readonly onRecord?: (record: RunRecord, elapsedSeconds: number, groupSize: number, cpuSeconds?: number) => void;
  /** Most runs trained together in one process (lib/sweep/group). Default DEFAULT_GROUP_RUNS, bounded by memory. */
  readonly group?: number;
  /** `group` was given by the user: a group larger than memory allows is a ConfigError instead of smaller groups. */
  readonly groupExplicit?: boolean;
  /** Code version hashed into keys. Default SWEEP_CODE_VERSION. */
  readonly codeVersion?: string;
  /**
   * Seconds a worker may go without sending any message (ready, progress, result) before it is
   * killed and the attempt counts as failed, so a hung run frees its slot. Default 600.
   */
  readonly stallSeconds?: number;
  /** Called with a line for each run skipped because another sweep holds its claim. Default: stderr. */
  readonly onNotice?: (message: string) => void;
}

export interface SweepSummary {
  readonly total: number;
  /** Trained now and recorded ok. */
  readonly trained: number;
  /** Already finished before this invocation. */
  readonly skipped: number;
  readonly failed: number;
  readonly diverged: number;
  /** Not run because the sweep was aborted. */
  readonly pending: number;
  readonly interrupted: boolean;
  readonly wallSeconds: number;
  /** Temp files of an earlier crashed writer that were cleaned. */
  readonly cleanedTempFiles: number;
  /** Runs not trained because another live sweep holds their claim (lib/sweep/claims). */
  readonly busy?: number;
  /** Groups the runs to train went out in (each one process). */
  readonly groups: number;
}

/** This checkout's root: the nearest folder at or above the working directory holding the worker. */
export function projectRoot(start = process.cwd()): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "lib", "sweep", "workerMain.ts"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no lib/sweep/workerMain.ts at or above ${start}: run from inside the checkout`);
  }
}

type Attempt = { readonly ok: true; readonly result: unknown; readonly cpuSeconds?: number } | { readonly ok: false; readonly error: string; readonly aborted: boolean };

/** One attempt of one group of runs in a fresh child process; a successful one yields one result per plan. */
function attemptGroup(plans: readonly RunPlan[], script: string, root: string, signal: AbortSignal | undefined, stallSeconds: number, onTokens: (tokens: number) => void): Promise<Attempt> {
  return new Promise((resolveAttempt) => {
    const loader = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
    const child: ChildProcess = fork(script, [], { execArgv: ["--import", loader], stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let stderr = "";
    let settled: Attempt | undefined;
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS)));
    child.stdout?.resume();
    const onAbort = (): void => {
      settled ??= { ok: false, error: "aborted", aborted: true };
      child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let stall: NodeJS.Timeout | undefined;
    const watch = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        settled ??= { ok: false, error: `no message from the worker for ${stallSeconds} s (stalled), killed`, aborted: false };
        child.kill("SIGKILL");
      }, stallSeconds * 1000);
    };
    watch();
    child.on("message", (m: WorkerMessage) => {
      watch();
      if (m.type === "ready") child.send({ type: "run", configs: plans.map((p) => p.config) });
      else if (m.type === "progress") onTokens(m.tokens);
      else if (m.type === "results") settled ??= Array.isArray(m.results) && m.results.length === plans.length ? { ok: true, result: m.results, ...(m.cpuSeconds !== undefined ? { cpuSeconds: m.cpuSeconds } : {}) } : { ok: false, error: `worker returned ${String(m.results?.length)} results for ${plans.length} runs`, aborted: false };
      else if (m.type === "error") settled ??= { ok: false, error: m.message, aborted: false };
    });
    child.on("error", (e) => (settled ??= { ok: false, error: `worker: ${e.message}`, aborted: false }));
    child.on("exit", (code, sig) => {
      clearTimeout(stall);
      signal?.removeEventListener("abort", onAbort);
      const tail = stderr.trim().split("\n").slice(-3).join(" | ");
      resolveAttempt(settled ?? { ok: false, error: `worker exited (code ${code}, signal ${sig})${tail ? `: ${tail}` : ""}`, aborted: false });
    });
    if (signal?.aborted) onAbort();
  });
}

/** Train every plan not yet finished; resolves with the summary (also when aborted). */
export async function runSweep(plans: readonly RunPlan[], options: RunSweepOptions = {}): Promise<SweepSummary> {
  const resultsDir = options.resultsDir ?? "results";
  const retries = options.retries ?? 2;
  const stallSeconds = options.stallSeconds ?? DEFAULT_STALL_SECONDS;
  if (!(stallSeconds > 0)) throw new Error(`runSweep: stallSeconds must be > 0, got ${stallSeconds}`);
  const codeVersion = options.codeVersion ?? SWEEP_CODE_VERSION;
  const started = Date.now();
  const experiments = experimentsOf(plans);
  const cleaned = [...experiments.keys()].reduce((n, e) => n + cleanTempFiles(resultsDir, e).length, 0);
  const finished = new Set<string>();
  for (const [e, reuse] of experiments) {
    for (const r of readRecordsOf(resultsDir, e, reuse).records) if (r.status !== "failed" || options.retryFailed === false) finished.add(r.key);
  }
  const queue = plans.filter((p) => !finished.has(p.key));
  const root = projectRoot();
  const script = options.workerScript ?? join(root, "lib", "sweep", "workerMain.ts");
  const tally = createTally(queue.length, queue.reduce((s, p) => s + p.realisedCompute, 0), started, options.onProgress);
  const { counts, report } = tally;
  // A record that cannot be written (full disk) stops the sweep: the runs in flight are killed, the error rethrown.
  const inner = new AbortController();
  const signal = inner.signal;
  options.signal?.addEventListener("abort", () => inner.abort(), { once: true });
  if (options.signal?.aborted) inner.abort();
  let fatal: unknown;
  const store = (record: RunRecord, since: number, groupSize: number, cpuSeconds?: number): void => {
    try {
      writeRecord(resultsDir, record);
    } catch (e) {
      fatal ??= e;
      inner.abort();
      return;
    }
    options.onRecord?.(record, (Date.now() - since) / 1000, groupSize, cpuSeconds);
  };
  const notice = options.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  let busy = 0;

  const groups = groupPlans(queue, { ...(options.group !== undefined ? { limit: options.group } : {}), explicit: options.groupExplicit === true, workers: options.workers ?? availableParallelism() });
  tally.setGroups(groups.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length && !signal.aborted) {
      const claims: { release(): void }[] = [];
      const claimed: RunPlan[] = [];
      for (const plan of groups[next++] as RunPlan[]) {
        const claim = claimRun(resultsDir, plan.experiment, plan.key);
        const done = claim.claimed ? readRecord(resultsDir, plan.experiment, plan.key) : undefined;
        if (claim.claimed && !(done && (done.status !== "failed" || options.retryFailed === false))) {
          claims.push(claim);
          claimed.push(plan);
          continue;
        }
        if (claim.claimed) claim.release();
        else notice(`run ${plan.key} is being trained by another sweep (pid ${claim.heldBy.pid} on ${claim.heldBy.host} since ${claim.heldBy.since}); skipped — run again after it finishes`);
        busy++;
        tally.landed(plan.key);
      }
      if (claimed.length === 0) {
        tally.groupDone();
        continue;
      }
      try {
        await trainClaimed(claimed);
      } finally {
        for (const c of claims) c.release();
      }
    }
  };
  /** Every attempt of one group of claimed runs, and one record per run. */
  const trainClaimed = async (group: readonly RunPlan[]): Promise<void> => {
    const t0 = Date.now();
    let lastError = "";
    for (let attempt = 1; attempt <= 1 + retries; attempt++) {
      for (const p of group) tally.inFlight(p.key, 0);
      const outcome = await attemptGroup(group, script, root, signal, stallSeconds, (tokens) => {
        for (const p of group) tally.inFlight(p.key, tokens * p.modelScale);
        report();
      });
      for (const p of group) tally.landed(p.key);
      if (!outcome.ok && (outcome.aborted || signal.aborted)) return;
      if (outcome.ok) {
        const parsed = (outcome.result as unknown[]).map((r) => runResultSchema.safeParse(r));
        const bad = parsed.find((r) => !r.success);
        if (!bad) {
          parsed.forEach((r, i) => {
            const record = recordOf(group[i]!, r.data!, codeVersion, attempt);
            store(record, t0, group.length, outcome.cpuSeconds);
            tally.recorded(record.key, record.status, group[i]!.realisedCompute);
          });
          tally.groupDone();
          return;
        }
        lastError = `worker returned an invalid RunResult: ${bad.error!.issues[0]?.path.join(".")}: ${bad.error!.issues[0]?.message}`;
      } else lastError = outcome.error;
      if (attempt === 1 + retries) {
        for (const p of group) {
          store(failedRecord(p, `${lastError} (after ${attempt} attempts)`, codeVersion, attempt, (Date.now() - t0) / 1000), t0, group.length);
          tally.recorded(p.key, "failed", p.realisedCompute);
        }
        tally.groupDone();
      }
    }
  };
  const poolSize = Math.max(1, Math.min(options.workers ?? availableParallelism(), groups.length || 1));
  // Nothing to train: no progress line at all (an empty bar says nothing).
  if (queue.length > 0) report();
  await Promise.all(Array.from({ length: poolSize }, worker));
  if (fatal !== undefined) throw fatal;
  const interrupted = options.signal?.aborted ?? false;
  return {
    total: plans.length,
    trained: counts.trained,
    skipped: plans.length - queue.length,
    failed: counts.failed,
    diverged: counts.diverged,
    pending: queue.length - counts.done,
    interrupted,
    wallSeconds: (Date.now() - started) / 1000,
    cleanedTempFiles: cleaned,
    busy,
    groups: groups.length,
  };
}
