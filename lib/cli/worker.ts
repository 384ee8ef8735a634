import { backendNameSchema, type BackendName } from "../train/config";
import { DEFAULT_MAX_STALLED, DEFAULT_STALL_SECONDS, DEFAULT_WORKER_BACKEND, startQueueWorker, type WorkerEvent } from "../queue/worker";
import { closeRedis, waitForRedis } from "../queue/connection";
import { QUEUE_URL_ENV, queueUrlFrom, type QueueUrl } from "../queue/url";
import { ConfigError } from "../util/errors";
import { helpText, optionalNumber, optionalString, parseArgs, type CommandSpec } from "./args";
import { print } from "./output";

/** `scaling worker`: train queued runs until stopped (Ctrl-C / SIGTERM: finish runs in flight; twice: stop now). */
export const spec: CommandSpec = {
  usage: "scaling worker",
  summary:
    "Take runs enqueued by `scaling sweep --queue URL` from Redis and train them, each in its own child\n" +
    "process. Start one per machine (or per GPU). Ctrl-C or SIGTERM stops taking runs and waits for the\n" +
    "ones in flight; a second one stops at once (those runs return to the queue after the stall timeout).",
  flags: {
    queue: { type: "string", value: "URL", help: `redis://[:PASSWORD@]HOST:PORT or rediss://… (default $${QUEUE_URL_ENV}; prefer the variable for passwords)` },
    concurrency: { type: "number", value: "N", help: "runs trained at once, one child process each (default 1)" },
    backend: { type: "string", value: "NAME", help: `take the runs of sweeps with this backend: wasm | tensorflow (GPU) | cpu | auto (default ${DEFAULT_WORKER_BACKEND})` },
    "stall-seconds": { type: "number", value: "S", help: `job lock lifetime and stall-check period; a dead worker's run restarts within ~2·S (default ${DEFAULT_STALL_SECONDS})` },
    "max-stalled": { type: "number", value: "N", help: `worker deaths after which a run is failed, not re-queued (default ${DEFAULT_MAX_STALLED})` },
  },
};

/** The one typed config of the command. */
export interface WorkerCommandConfig {
  readonly queue: QueueUrl;
  /** Runs at once; default 1. */
  readonly concurrency: number;
  /** Backend whose runs this worker takes; default "wasm". */
  readonly backend: BackendName;
  /** Stall timeout, seconds; default 30. */
  readonly stallSeconds: number;
  /** Worker deaths before a run fails; default 2. */
  readonly maxStalledCount: number;
  /** Print one JSON object per event instead of a text line. */
  readonly json: boolean;
}

function line(e: WorkerEvent): string {
  switch (e.event) {
    case "ready":
      return `worker ${process.pid} ready on ${e.queue}, ${e.backend} runs, concurrency ${e.concurrency}`;
    case "started":
      return `started ${e.key} (attempt ${e.attempt})`;
    case "completed":
      return `completed ${e.key}: ${e.status} in ${e.wallSeconds.toFixed(1)} s`;
    case "failed":
      return `failed ${e.key} (attempt ${e.attempt}): ${e.error}`;
    case "rejected":
      return `job ${e.jobId}: ${e.error}`;
    case "stalled":
      return `job ${e.jobId} stalled (its worker died): returned to the queue`;
    case "error":
      return `queue error: ${e.error}`;
  }
}

/** Run a worker until SIGINT/SIGTERM; resolves with the exit code. */
export async function workerMain(config: WorkerCommandConfig): Promise<number> {
  const log = (e: WorkerEvent): void => {
    const text = config.json ? JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...e }) : `${new Date().toISOString()} ${line(e)}`;
    if (e.event === "error" || e.event === "rejected" || e.event === "failed") process.stderr.write(`${text}\n`);
    else print(text);
  };
  // Reachable first, retrying with backoff and saying so each time (BullMQ alone would wait in silence).
  const waiting = new AbortController();
  const stopWaiting = (): void => waiting.abort();
  process.once("SIGINT", stopWaiting);
  process.once("SIGTERM", stopWaiting);
  const probe = await waitForRedis(config.queue, {
    signal: waiting.signal,
    onRetry: (attempt, delay, why) => log({ event: "error", error: `${why}; retry ${attempt} in ${delay} s (Ctrl-C stops)` }),
  });
  process.removeListener("SIGINT", stopWaiting);
  process.removeListener("SIGTERM", stopWaiting);
  if (!probe) {
    process.stderr.write("scaling worker: stopped before Redis could be reached\n");
    return 130;
  }
  await closeRedis(probe);
  const handle = await startQueueWorker({
    queue: config.queue,
    concurrency: config.concurrency,
    stallSeconds: config.stallSeconds,
    maxStalledCount: config.maxStalledCount,
    onEvent: log,
    backend: config.backend,
  });
  let stops = 0;
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      stops++;
      const force = stops > 1;
      process.stderr.write(`scaling worker: ${signal} — ${force ? "stopping now" : "finishing runs in flight (send again to stop now)"}\n`);
      if (stops > 2) return;
      void handle.close(force).then(() => {
        process.removeListener("SIGINT", stop);
        process.removeListener("SIGTERM", stop);
        resolve(force ? 130 : 0);
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const queue = queueUrlFrom(optionalString(args, "queue"));
  if (!queue) throw new ConfigError("no queue given", "--queue", `pass --queue redis://HOST:PORT or set ${QUEUE_URL_ENV}`);
  const wholeAtLeast = (flag: string, min: number, fallback: number): number => {
    const value = optionalNumber(args, flag) ?? fallback;
    if (!(Number.isInteger(value) && value >= min)) throw new ConfigError(`${value} is not a whole number ≥ ${min}`, `--${flag}`, `pass e.g. --${flag} ${fallback}`);
    return value;
  };
  const stallSeconds = optionalNumber(args, "stall-seconds") ?? DEFAULT_STALL_SECONDS;
  if (!(stallSeconds > 0)) throw new ConfigError(`${stallSeconds} is not positive`, "--stall-seconds", `pass e.g. --stall-seconds ${DEFAULT_STALL_SECONDS}`);
  const backendFlag = optionalString(args, "backend") ?? DEFAULT_WORKER_BACKEND;
  const backend = backendNameSchema.safeParse(backendFlag);
  if (!backend.success) throw new ConfigError(`unknown backend "${backendFlag}"`, "--backend", "use wasm, tensorflow, cpu or auto");
  return workerMain({
    queue,
    concurrency: wholeAtLeast("concurrency", 1, 1),
    stallSeconds,
    maxStalledCount: wholeAtLeast("max-stalled", 0, DEFAULT_MAX_STALLED),
    json: args.flags.json === true,
    backend: backend.data,
  });
}
