import { train } from "../train/train";
import type { TrainConfigInput } from "../train/config";

/**
 * Entry of one sweep worker process (forked by lib/sweep/runner through tsx): receives one
 * `{type: "run", config}`, trains it, sends back the result (or the error) and exits. One run per
 * process, so a crash or an out-of-memory kills one run, never the sweep. If the parent goes away
 * the worker exits instead of training for nobody.
 */

/** Progress messages are throttled to this interval (ms): enough for a progress bar. */
const PROGRESS_INTERVAL_MS = 250;

export type WorkerRequest = { readonly type: "run"; readonly config: TrainConfigInput };
export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "progress"; readonly tokens: number; readonly steps: number; readonly step: number }
  | { readonly type: "result"; readonly result: unknown }
  | { readonly type: "error"; readonly message: string };

function send(message: WorkerMessage, then?: () => void): void {
  if (!process.send) throw new Error("workerMain must be started with an IPC channel (child_process.fork)");
  process.send(message, undefined, {}, () => then?.());
}

async function runOne(config: TrainConfigInput): Promise<void> {
  let last = 0;
  try {
    const result = await train(config, {
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        send({ type: "progress", tokens: p.tokens, steps: p.steps, step: p.step });
      },
    });
    send({ type: "result", result }, () => process.exit(0));
  } catch (e) {
    const error = e as Error;
    send({ type: "error", message: `${error.name ?? "Error"}: ${error.message}` }, () => process.exit(1));
  }
}

process.on("disconnect", () => process.exit(1));
// Ctrl-C reaches the whole process group; the parent alone decides, and kills workers itself.
process.on("SIGINT", () => undefined);
process.on("message", (message: WorkerRequest) => {
  if (message?.type === "run") void runOne(message.config);
});
send({ type: "ready" });
