import { ScalingError } from "../util/errors";

/**
 * `scaling` entry: dispatches to one module per subcommand. Each module exports
 * `run(argv): Promise<number>` (the exit code). To add a command, add one line to COMMANDS.
 */

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** Exit code for bad input (flags, files, data); 1 is left for unexpected failures. */
export const EXIT_BAD_INPUT = 2;

/** Exit code of a sweep (or study) that finished with failed runs: they are listed on stderr. */
export const EXIT_RUNS_FAILED = 3;

export const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<CommandModule> }>> = {
  study: { summary: "the full study: hyperparams → IsoFLOP (prose, code) → held-out verification; --plan, --stage, --refit", load: () => import("./study") },
  start: { summary: "quick study: tiny hyperparameter + IsoFLOP sweeps → fits → figures → 7B/67B predictions", load: () => import("./start") },
  scale: { summary: "N₁, N₂, 6N₁, 6N₂, M (Eq. 2) and exact M of a shape", load: () => import("./scale") },
  predict: { summary: "batch, learning rate, M_opt, D_opt and a shape for a budget", load: () => import("./predict") },
  fit: { summary: "fit hyperparams | isoflop | loss laws to a runs CSV", load: () => import("./fit") },
  train: { summary: "train one model and report validation bits per byte", load: () => import("./train") },
  sweep: { summary: "train an experiment's runs on a worker pool (resumable)", load: () => import("./sweep") },
  worker: { summary: "train runs queued by `sweep --queue` (Redis/BullMQ), one process per run", load: () => import("./worker") },
  list: { summary: "the experiments under experiments/ with their runs (planned, done, pending) and status", load: () => import("./list") },
  plan: { summary: "runs, FLOPs and expected wall time of an experiment", load: () => import("./plan") },
  status: { summary: "done / pending / failed runs of an experiment per budget", load: () => import("./status") },
  figures: { summary: "refit and redraw an experiment from its runs: fits/*.json and figures/*.svg|png", load: () => import("./figures") },
  export: { summary: "write results/<experiment>/runs.csv from the run records", load: () => import("./export") },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: scaling <command> [flags]   (scaling <command> --help for its flags)\n\nCommands:\n${lines.join("\n")}\n`;
}

/** Run the CLI; returns the exit code. Bad input prints one line on stderr and returns 2. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? EXIT_BAD_INPUT : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`scaling: unknown command "${name}" — use one of ${Object.keys(COMMANDS).join(", ")}\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof ScalingError) {
      process.stderr.write(`scaling ${name}: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`scaling ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
