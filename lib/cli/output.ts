import { readFileSync } from "node:fs";
import { ConfigError } from "../util/errors";

/** Printing helpers shared by the subcommands (the CLI is the edge: it alone writes to stdout). */

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** JSON with non-finite numbers as null (JSON has no NaN), two-space indented. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2));
}

/** A number for people: 4 significant digits, exponent form outside [1e-3, 1e6). */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

/** Numeric-looking columns right-aligned, text columns left-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const numeric = header.map((_, c) => rows.every((r) => /^([-+]?[\d.]|—|\[|$)/.test(r[c] ?? "")));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Read a text file named by a flag or argument; a failure is a ConfigError naming it. */
export function readTextFile(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`cannot read ${path} (${code})`, flag, "check the path");
  }
}
