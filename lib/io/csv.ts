import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { DataError } from "../util/errors";

/**
 * CSV text in and out. Reading goes through papaparse (the parser danfojs-node itself uses; RFC 4180:
 * "" escapes a quote, quoted fields may hold commas and newlines); this module only adds the 1-based
 * line each record starts on, so errors can name `file:line:column`. The runs contract on top of the
 * records is lib/io/runsTable.
 */

/** One parsed record: its cells and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

/** Split CSV text into records. Blank lines are skipped; CRLF and LF line ends are both read. */
export function parseCsvRecords(text: string, file = "csv"): CsvRecord[] {
  const records: CsvRecord[] = [];
  let start = 0; // offset where the current record begins (the previous record's cursor)
  let line = 1; // line at offset `start`
  let unclosed: number | undefined;
  Papa.parse<string[]>(text, {
    delimiter: ",",
    step: (result) => {
      const cells = result.data;
      // Leading line breaks belong to skipped blank lines before this record.
      let at = start;
      while (text[at] === "\n" || text[at] === "\r") {
        if (text[at] === "\n") line++;
        at++;
      }
      if (result.errors.some((e) => e.code === "MissingQuotes")) unclosed ??= line;
      if (!(cells.length === 1 && cells[0] === "")) records.push({ line, cells });
      for (let i = at; i < result.meta.cursor; i++) if (text[i] === "\n") line++;
      start = result.meta.cursor;
    },
  });
  if (unclosed !== undefined) throw new DataError("a quoted field is never closed", `${file}:${unclosed}`, "close the quote (\"\" writes a literal quote)");
  return records;
}

/** A text file's content; a missing or unreadable file is a DataError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new DataError(`cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, path, "check the path");
  }
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

export { parseRunsCsv, readRunsCsv, readRunsTable, parseRunsTable, RUN_COLUMNS, OPTIONAL_RUN_COLUMNS } from "./runsTable";
