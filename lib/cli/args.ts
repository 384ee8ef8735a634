import { ConfigError } from "../util/errors";

/**
 * A tiny argument parser: long flags only (`--name value` or `--name=value`), typed by a spec,
 * positionals by count. Unknown flags and missing values are ConfigErrors naming the flag.
 */

export interface FlagSpec {
  readonly type: "number" | "string" | "boolean";
  /** One line for --help, with the unit and default. */
  readonly help: string;
  /** Placeholder in --help, e.g. "C" or "FILE". */
  readonly value?: string;
}

export interface CommandSpec {
  /** e.g. "scaling scale" */
  readonly usage: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Positional argument names, all required (e.g. ["FILE.csv"]). */
  readonly positionals?: readonly string[];
}

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, number | string | boolean>>;
  readonly positionals: readonly string[];
  /** --help was given: print helpText(spec) and exit 0. */
  readonly help: boolean;
}

/** Flags every command accepts. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { type: "boolean", help: "print machine-readable JSON instead of a table" },
  help: { type: "boolean", help: "show this help" },
};

export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const specs = { ...COMMON_FLAGS, ...spec.flags };
  const flags: Record<string, number | string | boolean> = {};
  const positionals: string[] = [];
  const seeHelp = `run '${spec.usage} --help' for the flags`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const flag = specs[name];
    if (!flag) throw new ConfigError("unknown flag", `--${name}`, seeHelp);
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (flag.type === "boolean") {
      if (raw !== undefined && raw !== "true" && raw !== "false") throw new ConfigError(`expected true or false, got "${raw}"`, `--${name}`, seeHelp);
      flags[name] = raw !== "false";
      continue;
    }
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && !/^--?\d/.test(next))) {
        throw new ConfigError("missing value", `--${name}`, `pass --${name} ${flag.value ?? "VALUE"}`);
      }
      raw = next;
      i++;
    }
    if (flag.type === "number") {
      const value = raw.trim() === "" ? NaN : Number(raw);
      if (!Number.isFinite(value)) throw new ConfigError(`"${raw}" is not a number`, `--${name}`, `pass a number, e.g. --${name} ${flag.value ?? "1"}`);
      flags[name] = value;
    } else flags[name] = raw;
  }
  const help = flags.help === true;
  const expected = spec.positionals ?? [];
  if (!help && positionals.length !== expected.length) {
    if (positionals.length < expected.length) throw new ConfigError("missing argument", expected[positionals.length], seeHelp);
    throw new ConfigError("unexpected argument", positionals[expected.length], seeHelp);
  }
  return { flags, positionals, help };
}

/** Help text generated from the spec. */
export function helpText(spec: CommandSpec): string {
  const specs = { ...spec.flags, ...COMMON_FLAGS };
  const label = (name: string, f: FlagSpec): string => `--${name}${f.type === "boolean" ? "" : ` ${f.value ?? "VALUE"}`}`;
  const width = Math.max(...Object.entries(specs).map(([n, f]) => label(n, f).length));
  const lines = Object.entries(specs).map(([n, f]) => `  ${label(n, f).padEnd(width)}  ${f.help}`);
  const usage = [spec.usage, ...(spec.positionals ?? []), "[flags]"].join(" ");
  return `Usage: ${usage}\n\n${spec.summary}\n\nFlags:\n${lines.join("\n")}\n`;
}

/** A number flag that must be given. */
export function requireNumber(args: ParsedArgs, name: string): number {
  const value = args.flags[name];
  if (typeof value !== "number") throw new ConfigError("missing value", `--${name}`, `pass --${name} with a number`);
  return value;
}

export const optionalNumber = (args: ParsedArgs, name: string): number | undefined => {
  const value = args.flags[name];
  return typeof value === "number" ? value : undefined;
};

/** An optional whole-number flag ≥ `min` (worker and resample counts); ConfigError naming the flag otherwise. */
export function optionalCount(args: ParsedArgs, name: string, min: number, example: number): number | undefined {
  const value = optionalNumber(args, name);
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new ConfigError(`${value} is not a whole number ≥ ${min}`, `--${name}`, `pass e.g. --${name} ${example}`);
  }
  return value;
}

export const optionalString = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.flags[name];
  return typeof value === "string" ? value : undefined;
};
