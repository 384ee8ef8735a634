import { readFileSync } from "node:fs";
import type { RunPoint } from "../fit/types";
import { DataError } from "../util/errors";

/**
 * The runs CSV: one training run per row, the column contract of `RunPoint`. Header names are
 * exact; extra columns are allowed; fields may be quoted (RFC 4180: "" escapes a quote, quoted
 * fields may hold commas and newlines). Errors name the file, line and column.
 */

/** Required numeric columns and the RunPoint field each fills. */
export const RUN_COLUMNS = {
  compute: "compute",
  model_scale: "modelScale",
  tokens: "tokens",
  batch_tokens: "batchTokens",
  learning_rate: "learningRate",
  loss: "loss",
} as const satisfies Record<string, keyof RunPoint>;

/** Optional columns: `status` (default "ok") and `key` (a run key carried through). */
export const OPTIONAL_RUN_COLUMNS = ["status", "key"] as const;

/** One parsed record: its cells and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

/** Split CSV text into records (RFC 4180). Blank lines are skipped; a CR before LF is dropped. */
export function parseCsvRecords(text: string, file = "csv"): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let touched = false; // the record has content (so an empty line is not a record)
  const endRecord = (): void => {
    if (touched || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
    cells = [];
    cell = "";
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      touched = true;
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
      touched = true;
    } else if (ch === "\n") {
      endRecord();
      line++;
      start = line;
    } else if (ch !== "\r" || text[i + 1] !== "\n") {
      cell += ch;
      touched = true;
    }
  }
  if (quoted) throw new DataError("a quoted field is never closed", `${file}:${start}`, "close the quote (\"\" writes a literal quote)");
  endRecord();
  return records;
}

/** A CSV's runs as RunPoints; `file` names the source in errors. */
export function parseRunsCsv(text: string, file = "runs.csv"): RunPoint[] {
  const [header, ...rows] = parseCsvRecords(text.replace(/^\uFEFF/, ""), file);
  if (!header) throw new DataError("the file is empty", file, "write a header line: compute,model_scale,tokens,batch_tokens,learning_rate,loss");
  const names = header.cells.map((c) => c.trim());
  const index = (name: string): number => names.indexOf(name);
  for (const name of Object.keys(RUN_COLUMNS)) {
    if (index(name) < 0) {
      throw new DataError(`missing column "${name}"`, `${file}:${header.line}`, `the header needs ${Object.keys(RUN_COLUMNS).join(", ")} (exact names)`);
    }
  }
  const statusAt = index("status");
  const keyAt = index("key");
  return rows.map((row) => {
    const where = (col: number): string => `${file}:${row.line}:${col + 1}`;
    if (row.cells.length !== names.length) {
      throw new DataError(`${row.cells.length} fields where the header has ${names.length}`, `${file}:${row.line}`, "quote fields that contain commas");
    }
    const status = statusAt >= 0 ? row.cells[statusAt]!.trim() || "ok" : "ok";
    const values: Record<string, number> = {};
    for (const [column, field] of Object.entries(RUN_COLUMNS)) {
      const col = index(column);
      const raw = row.cells[col]!.trim();
      const value = raw === "" ? NaN : Number(raw);
      // A run that did not finish (status ≠ ok) may have no loss; the fitters leave it out.
      if (column === "loss" && status !== "ok" && !Number.isFinite(value)) {
        values[field] = NaN;
        continue;
      }
      if (!Number.isFinite(value)) {
        throw new DataError(`${column} "${raw}" is not a finite number`, where(col), "write a plain number such as 1e18");
      }
      if (value <= 0) {
        throw new DataError(`${column} ${raw} is not positive`, where(col), `${column} must be > 0`);
      }
      values[field] = value;
    }
    const key = keyAt >= 0 ? row.cells[keyAt]!.trim() : "";
    return Object.freeze({
      compute: values.compute!,
      modelScale: values.modelScale!,
      tokens: values.tokens!,
      batchTokens: values.batchTokens!,
      learningRate: values.learningRate!,
      loss: values.loss!,
      status,
      ...(key ? { key } : {}),
    });
  });
}

/** Read and parse a runs CSV from disk (the edge); a missing file is a DataError naming it. */
export function readRunsCsv(path: string): RunPoint[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new DataError(`cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, path, "check the path");
  }
  return parseRunsCsv(text, path);
}

/** One cell as CSV text: numbers as JS prints them (round-trips exactly), quoted when needed. */
function formatCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "number" ? (Number.isNaN(value) ? "NaN" : String(value)) : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text with the given columns in order (header first, LF line ends, trailing newline). */
export function formatCsv(rows: readonly object[], columns: readonly string[]): string {
  const cell = (row: object, column: string): string => formatCell((row as Record<string, unknown>)[column]);
  const lines = [columns.map(formatCell).join(","), ...rows.map((row) => columns.map((c) => cell(row, c)).join(","))];
  return `${lines.join("\n")}\n`;
}
