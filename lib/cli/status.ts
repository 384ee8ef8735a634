import { expandSpec } from "../sweep/expand";
import { loadSpec } from "../sweep/load";
import { sweepStatus } from "../sweep/status";
import { readRecordsOf } from "../sweep/store";
import { QUEUE_URL_ENV, queueUrlFrom } from "../queue/url";
import { helpText, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling status <experiment>`: done / diverged / failed / pending runs per budget, and where queued runs stand. */
export const spec: CommandSpec = {
  usage: "scaling status",
  summary:
    "Runs of an experiment per budget: planned, done (ok), diverged, failed, pending; and stale records (no longer planned).\n" +
    "With a queue, the pending runs split by their job's state in Redis, and the workers connected.",
  positionals: ["<experiment>"],
  flags: {
    results: { type: "string", value: "DIR", help: "results root (default results)" },
    queue: { type: "string", value: "URL", help: `also show the pending runs' jobs on this Redis (default $${QUEUE_URL_ENV}, else none); see docs/scale-out.md` },
  },
};

const QUEUE_COLUMNS = ["queued", "training", "done on worker", "failed on worker", "not queued"];

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const flagValue = optionalString(args, "queue");
  const queue = queueUrlFrom(flagValue);
  const { spec: resolved } = await loadSpec(args.positionals[0] as string);
  const { runs, skipped } = expandSpec(resolved);
  const stored = readRecordsOf(optionalString(args, "results") ?? "results", resolved.name, resolved.reuse);
  const status = sweepStatus(runs, stored.records);
  // Loaded only with a queue: it pulls in BullMQ and ioredis.
  const queued = queue
    ? await (async () => {
        const q = await import("../queue/status");
        const states = await q.queueRunStates(runs, queue, { flag: flagValue !== undefined ? "--queue" : QUEUE_URL_ENV });
        return { ...states, counts: q.queueCounts(runs, stored.records, states.states) };
      })()
    : undefined;
  const budgets = status.budgets.map((b) => {
    const c = queued?.counts.find((q) => q.budget === b.budget);
    return c ? { ...b, queue: { queued: c.queued, training: c.training, doneOnWorker: c.doneOnWorker, failedOnWorker: c.failedOnWorker, notQueued: c.notQueued } } : b;
  });
  if (args.flags.json) {
    const queueJson = queued ? { queue: { url: queued.url, workers: queued.workers, lanes: queued.lanes, states: queued.states } } : {};
    printJson({ experiment: resolved.name, ...status, budgets, unrealisable: skipped.length, invalidFiles: stored.invalid, ...queueJson });
    return 0;
  }
  const rows = budgets.map((b) => {
    const base = [fmt(b.budget, 3), String(b.planned), String(b.ok), String(b.diverged), String(b.failed), String(b.pending)];
    return "queue" in b ? [...base, ...[b.queue.queued, b.queue.training, b.queue.doneOnWorker, b.queue.failedOnWorker, b.queue.notQueued].map(String)] : base;
  });
  print(table(["budget", "planned", "ok", "diverged", "failed", "pending", ...(queued ? QUEUE_COLUMNS : [])], rows));
  if (queued) {
    const perLane = queued.lanes.length > 1 ? `; ${queued.lanes.map((l) => `${l.name}: ${l.workers ?? "unknown"}`).join(", ")}` : "";
    const where = `${queued.lanes.map((l) => l.name).join(", ") || "no queue"} on ${queued.url}`;
    print(`workers connected: ${queued.workers ?? "unknown (this Redis does not list its clients)"} (${where}${perLane})`);
    const done = queued.counts.reduce((s, c) => s + c.doneOnWorker + c.failedOnWorker, 0);
    if (done) print(`${done} runs finished on workers but not recorded: run \`scaling sweep ${args.positionals[0]}\` on this queue to record them (nothing is trained again)`);
  }
  if (status.stale) print(`${status.stale} stored records are not planned by the current spec (stale)`);
  for (const bad of stored.invalid) print(`not a record: ${bad.file} (${bad.reason})`);
  return 0;
}
