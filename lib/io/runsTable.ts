import type { RunPoint } from "../fit/types";
import { DataError } from "../util/errors";
import { parseCsvRecords, readTextFile } from "./csv";

/**
 * A table of training runs as people have them → RunPoints. Each use needs only the columns it reads;
 * `columns` maps the table's own names onto ours; compute, model scale and tokens that are absent are
 * derived from the others (C = M·D; with parameters only, the 6·N·D approximation), and every
 * derivation is reported in `derived`. Errors name the file, line and column, and how to fix them.
 */

/** Our column names and the RunPoint field each fills. */
export const RUN_COLUMNS = {
  compute: "compute",
  model_scale: "modelScale",
  tokens: "tokens",
  batch_tokens: "batchTokens",
  learning_rate: "learningRate",
  loss: "loss",
} as const satisfies Record<string, keyof RunPoint>;

/** Optional columns: `params` (N, parameters), `status` (default "ok") and `key` (a run key carried through). */
export const OPTIONAL_RUN_COLUMNS = ["params", "status", "key"] as const;

type Column = keyof typeof RUN_COLUMNS | (typeof OPTIONAL_RUN_COLUMNS)[number];
const ALL_COLUMNS: readonly Column[] = [...(Object.keys(RUN_COLUMNS) as (keyof typeof RUN_COLUMNS)[]), ...OPTIONAL_RUN_COLUMNS];

/** What the table is read for: each fit's needs (`runs`: the full contract `runs.csv` is written in). */
export type TableUse = "hyperparams" | "isoflop" | "loss" | "runs";

/** The columns each use reads, as `--help` and errors print them. */
export const TABLE_NEEDS: Readonly<Record<TableUse, string>> = {
  hyperparams: "batch_tokens, learning_rate, loss, and compute (or model_scale and tokens, or params and tokens)",
  isoflop: "loss, model_scale (or params), and compute or tokens",
  loss: "loss, model_scale (or params), and compute or tokens",
  runs: "compute, model_scale, tokens, batch_tokens, learning_rate, loss",
};

/** Names tables commonly use for our columns (lower-cased, spaces and punctuation removed), for the fix a missing column suggests. */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  compute: ["flops", "flop", "trainingflop", "trainingflops", "c", "computeflops"],
  model_scale: ["m", "flopspertoken", "modelscale"],
  params: ["modelsize", "n", "parameters", "nparams", "numparams", "nonembeddingparams"],
  tokens: ["d", "trainingtokens", "ntokens", "datasize", "numtokens"],
  batch_tokens: ["batchsize", "bs", "batch", "batchtokens"],
  learning_rate: ["lr", "learningrate", "peaklr"],
  loss: ["finalloss", "valloss", "validationloss", "evalloss", "bpb", "bitsperbyte"],
};

export interface RunsTable {
  readonly points: RunPoint[];
  /** One line per derived column (how it was computed), empty when every column was read. */
  readonly derived: string[];
  /** Our column name → the table's header name it was read from. */
  readonly columns: Readonly<Partial<Record<Column, string>>>;
}

export interface RunsTableOptions {
  /** What the table is read for. Default "runs". */
  readonly use?: TableUse;
  /** Our column name → the table's name, e.g. { compute: "Training FLOP" }. */
  readonly columns?: Readonly<Record<string, string>>;
}

/** `--columns compute="Training FLOP",params=N` → { compute: "Training FLOP", params: "N" }. */
export function parseColumnMapping(text: string, flag = "--columns"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf("=");
    const ours = pair.slice(0, eq).trim();
    const theirs = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (eq < 0 || !ours || !theirs) throw new DataError(`"${pair}" is not ours=theirs`, flag, `write e.g. ${flag} compute="Training FLOP",params="Model Size"`);
    if (!(ALL_COLUMNS as readonly string[]).includes(ours)) throw new DataError(`"${ours}" is not a column the fits read`, flag, `map one of ${ALL_COLUMNS.join(", ")}`);
    out[ours] = theirs;
  }
  return out;
}

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The `--columns` mapping that would supply `wanted` from `found`, where a header name is a known synonym. */
function suggestedMapping(wanted: readonly string[], found: readonly string[]): string | undefined {
  const pairs = wanted.flatMap((ours) => {
    const hit = found.find((f) => normalise(f) === normalise(ours) || SYNONYMS[ours]?.includes(normalise(f)));
    return hit ? [`${ours}=${/[\s,]/.test(hit) ? `"${hit}"` : hit}`] : [];
  });
  return pairs.length > 0 ? `--columns ${pairs.join(",")}` : undefined;
}

/** Parses a runs table for `use`; `file` names the source in errors. */
export function parseRunsTable(text: string, file = "runs.csv", options: RunsTableOptions = {}): RunsTable {
  const use = options.use ?? "runs";
  const [header, ...rows] = parseCsvRecords(text.replace(/^\uFEFF/, ""), file);
  if (!header) throw new DataError("the file is empty", file, `write a header line with ${TABLE_NEEDS[use]}`);
  const names = header.cells.map((c) => c.trim());
  const mapping = options.columns ?? {};
  const columns: Partial<Record<Column, string>> = {};
  for (const column of ALL_COLUMNS) {
    const theirs = mapping[column];
    if (theirs !== undefined && !names.includes(theirs)) {
      throw new DataError(`--columns maps ${column} to "${theirs}", which the header does not have`, `${file}:${header.line}`, `the header has ${names.map((n) => `"${n}"`).join(", ")}`);
    }
    const name = theirs ?? column;
    if (names.includes(name)) columns[column] = name;
  }
  const has = (c: Column): boolean => columns[c] !== undefined;
  const scale = has("model_scale") || has("params");
  const missing = (["loss", ...(use === "hyperparams" ? ["batch_tokens", "learning_rate"] : [])] as Column[]).filter((c) => !has(c));
  if (use === "runs") missing.push(...(Object.keys(RUN_COLUMNS) as Column[]).filter((c) => !has(c) && !missing.includes(c)));
  else if (use === "hyperparams") {
    if (!has("compute") && !(has("tokens") && scale)) missing.push(...(["compute"] as Column[]));
  } else {
    if (!scale) missing.push("model_scale");
    if (!has("compute") && !has("tokens")) missing.push("compute");
  }
  if (missing.length > 0) {
    const fix = suggestedMapping([...missing, ...(missing.includes("model_scale") ? ["params"] : [])], names);
    throw new DataError(
      `missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (the ${use} fit reads ${TABLE_NEEDS[use]}); found ${names.map((n) => `"${n}"`).join(", ")}`,
      `${file}:${header.line}`,
      fix ? `map them with ${fix}` : `rename the header or map yours with --columns ${missing[0]}=<your column>`,
    );
  }
  const derived: string[] = [];
  if (!has("model_scale") && has("params")) derived.push("model_scale = 6·params (no model_scale column: the 6N FLOPs/token approximation, attention left out)");
  if (!has("compute")) derived.push(has("model_scale") ? "compute = model_scale·tokens (no compute column)" : "compute = 6·params·tokens (no compute column: the 6ND approximation)");
  if (!has("tokens") && has("compute") && scale) derived.push(has("model_scale") ? "tokens = compute / model_scale (no tokens column)" : "tokens = compute / (6·params) (no tokens column)");

  const at = (c: Column): number => (columns[c] === undefined ? -1 : names.indexOf(columns[c]!));
  const statusAt = at("status"), keyAt = at("key");
  const points = rows.map((row) => {
    if (row.cells.length !== names.length) {
      throw new DataError(`${row.cells.length} fields where the header has ${names.length}`, `${file}:${row.line}`, "quote fields that contain commas");
    }
    const status = statusAt >= 0 ? row.cells[statusAt]!.trim() || "ok" : "ok";
    const read = (c: Column): number => {
      const col = at(c);
      if (col < 0) return NaN;
      const raw = row.cells[col]!.trim();
      const value = raw === "" ? NaN : Number(raw);
      // A run that did not finish (status ≠ ok) may have no loss; the fitters leave it out.
      if (c === "loss" && status !== "ok" && !Number.isFinite(value)) return NaN;
      const where = `${file}:${row.line}:${col + 1}`;
      if (!Number.isFinite(value)) throw new DataError(`${columns[c]} "${raw}" is not a finite number`, where, "write a plain number such as 1e18");
      if (value <= 0) throw new DataError(`${columns[c]} ${raw} is not positive`, where, `${columns[c]} must be > 0`);
      return value;
    };
    const params = read("params");
    const modelScale = has("model_scale") ? read("model_scale") : 6 * params;
    const tokensRead = read("tokens");
    const compute = has("compute") ? read("compute") : modelScale * tokensRead;
    const tokens = has("tokens") ? tokensRead : compute / modelScale;
    const key = keyAt >= 0 ? row.cells[keyAt]!.trim() : "";
    return Object.freeze({
      compute,
      modelScale,
      tokens,
      batchTokens: read("batch_tokens"),
      learningRate: read("learning_rate"),
      loss: read("loss"),
      status,
      ...(Number.isFinite(params) ? { params } : {}),
      ...(key ? { key } : {}),
    });
  });
  return { points, derived, columns };
}

/** A CSV's runs in the full `runs.csv` contract (every column of RUN_COLUMNS present). */
export const parseRunsCsv = (text: string, file = "runs.csv"): RunPoint[] => parseRunsTable(text, file).points;

/** Reads and parses a runs table from disk (the edge). */
export const readRunsTable = (path: string, options?: RunsTableOptions): RunsTable => parseRunsTable(readTextFile(path), path, options);

/** Reads a runs CSV in the full contract. */
export const readRunsCsv = (path: string): RunPoint[] => readRunsTable(path).points;
