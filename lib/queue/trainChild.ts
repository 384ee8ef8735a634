import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { TrainConfig } from "../train/config";
import type { WorkerMessage } from "../sweep/workerMain";
import { QUEUE_URL_ENV } from "./url";

/**
 * One training run in a fresh child process, over the same protocol (lib/sweep/workerMain) the
 * local pool uses, so a queued run trains exactly as a local one. The child trains synchronously
 * for minutes; keeping that out of the queue worker's process leaves its event loop free to renew
 * BullMQ job locks, and a crash or out-of-memory kills one run, not the worker.
 */

/** Characters of a crashed child's stderr kept in its error. */
const STDERR_TAIL_CHARS = 600;

export type ChildOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

export interface TrainChildOptions {
  /** Checkout root holding node_modules/tsx and lib/sweep/workerMain.ts. */
  readonly root: string;
  /** Kills the child (SIGKILL); the outcome is then an error "aborted". */
  readonly signal?: AbortSignal;
  /** Tokens trained so far, throttled by the child (every 250 ms at most). */
  readonly onTokens?: (tokens: number) => void;
}

/** Train `config` in a child process; never rejects. */
export function trainInChild(config: TrainConfig, options: TrainChildOptions): Promise<ChildOutcome> {
  return new Promise((resolveOutcome) => {
    const loader = pathToFileURL(join(options.root, "node_modules", "tsx", "dist", "loader.mjs")).href;
    // The child never needs the queue: keep the URL (and its password) out of its environment.
    const env = { ...process.env };
    delete env[QUEUE_URL_ENV];
    const child: ChildProcess = fork(join(options.root, "lib", "sweep", "workerMain.ts"), [], {
      execArgv: ["--import", loader],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env,
    });
    let stderr = "";
    let settled: ChildOutcome | undefined;
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS)));
    child.stdout?.resume();
    const onAbort = (): void => {
      settled ??= { ok: false, error: "aborted" };
      child.kill("SIGKILL");
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") child.send({ type: "run", config });
      else if (m.type === "progress") options.onTokens?.(m.tokens);
      else if (m.type === "result") settled ??= { ok: true, result: m.result };
      else if (m.type === "error") settled ??= { ok: false, error: m.message };
    });
    child.on("error", (e) => (settled ??= { ok: false, error: `child process: ${e.message}` }));
    child.on("exit", (code, sig) => {
      options.signal?.removeEventListener("abort", onAbort);
      const tail = stderr.trim().split("\n").slice(-3).join(" | ");
      resolveOutcome(settled ?? { ok: false, error: `training process exited (code ${code}, signal ${sig})${tail ? `: ${tail}` : ""}` });
    });
    if (options.signal?.aborted) onAbort();
  });
}
