/**
 * Named error classes. Every message is one line that names the offending field (a dotted path
 * such as `budgets[2]` or `--d-model`) and says what to do next, so a CLI can print it as is.
 */

/** Base class: `path` is the field at fault, `hint` the fix. */
export class ScalingError extends Error {
  readonly path: string | undefined;
  readonly hint: string | undefined;
  constructor(problem: string, path?: string, hint?: string) {
    super([path ? `${path}: ${problem}` : problem, hint].filter(Boolean).join(" — "));
    this.name = new.target.name;
    this.path = path;
    this.hint = hint;
  }
}

/** A config, spec, CLI flag or record that does not validate. */
export class ConfigError extends ScalingError {}

/** A fit that cannot be made: too few points, non-finite or non-positive values. */
export class FitError extends ScalingError {}

/** A corpus or data file that cannot be read or is corrupt. */
export class DataError extends ScalingError {}

/** A zod issue list as a ConfigError naming the first offending dotted path. */
export function configErrorFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
  root = "",
): ConfigError {
  const first = issues[0];
  if (!first) return new ConfigError("invalid value", root || undefined);
  const path = [root, ...first.path.map((p) => (typeof p === "number" ? `[${p}]` : p))]
    .filter((p) => p !== "")
    .join(".")
    .replace(/\.\[/g, "[");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new ConfigError(`${first.message}${more}`, path || undefined, "fix this field and run again");
}
