import { train, trainGroup } from "../train/train";
import type { TrainConfigInput } from "../train/config";

/**
 * Entry of one sweep worker process (forked by lib/sweep/runner through tsx): receives one
 * `{type: "run", config}` (the queue's per-run jobs) or `{type: "run", configs}` (a group of runs
 * of one shape, trained in lockstep), trains it, sends back the result(s) (or the error) and
 * exits. One job per process, so a crash or an out-of-memory kills one job, never the sweep. If
 * the parent goes away the worker exits instead of training for nobody.
 */

/** Progress messages are throttled to this interval (ms): enough for a progress bar. */
const PROGRESS_INTERVAL_MS = 250;

export type WorkerRequest = { readonly type: "run"; readonly config: TrainConfigInput } | { readonly type: "run"; readonly configs: readonly TrainConfigInput[] };
export type WorkerMessage =
  | { readonly type: "ready" }
  /** Tokens trained so far by each run of the job (runs of a group move in lockstep). */
  | { readonly type: "progress"; readonly tokens: number; readonly steps: number; readonly step: number }
  | { readonly type: "result"; readonly result: unknown }
  /** cpuSeconds: this process's CPU time from start to the results (user + system), which a loaded machine does not stretch. */
  | { readonly type: "results"; readonly results: unknown[]; readonly cpuSeconds?: number }
  | { readonly type: "error"; readonly message: string };

function send(message: WorkerMessage, then?: () => void): void {
  if (!process.send) throw new Error("workerMain must be started with an IPC channel (child_process.fork)");
  process.send(message, undefined, {}, () => then?.());
}

async function runJob(request: WorkerRequest): Promise<void> {
  let last = 0;
  const onProgress = (p: { tokens: number; steps: number; step: number }): void => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    send({ type: "progress", tokens: p.tokens, steps: p.steps, step: p.step });
  };
  try {
    if ("configs" in request) {
      const results = await trainGroup(request.configs, { onProgress });
      const cpu = process.cpuUsage();
      send({ type: "results", results, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
    } else {
      const result = await train(request.config, { onProgress });
      send({ type: "result", result }, () => process.exit(0));
    }
  } catch (e) {
    const error = e as Error;
    send({ type: "error", message: `${error.name ?? "Error"}: ${error.message}` }, () => process.exit(1));
  }
}

process.on("disconnect", () => process.exit(1));
// Ctrl-C reaches the whole process group; the parent alone decides, and kills workers itself.
process.on("SIGINT", () => undefined);
process.on("message", (message: WorkerRequest) => {
  if (message?.type === "run") void runJob(message);
});
send({ type: "ready" });
