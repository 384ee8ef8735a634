import type { DataFrame } from "./frame";
import { COLUMN_HEADERS, QUANTITY_LABELS } from "./headers";

/**
 * An HTML <table> of a frame for notebook display (`tslab.display.html`): columns under their COLUMN_HEADERS
 * header, numbers to `digits` significant digits.
 */
export function frameHtml(df: DataFrame, digits = 4): string {
  const columns = df.columns;
  const head = columns.map((c) => `<th>${escapeHtml(COLUMN_HEADERS[c] ?? c)}</th>`).join("");
  const rows = (df.values as unknown[][]).map(
    (row) => `<tr>${row.map((v) => `<td>${escapeHtml(formatCell(v, digits))}</td>`).join("")}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Integers below 1e6 as is, other numbers to `digits` significant digits, everything else as text. */
export function formatCell(value: unknown, digits: number): string {
  if (typeof value !== "number") return String(value ?? "");
  if (Number.isNaN(value)) return "";
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e6 || abs < 1e-3) ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** How `recordsHtml` formats its cells. */
export interface RecordsHtmlOptions {
  /** Significant digits of every non-integer number. Default 4. */
  digits?: number;
  /** Headers that override COLUMN_HEADERS for this table (field name → header). Default none. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * An HTML <table> of plain records, one row each, for notebook display: each field under its human header
 * (COLUMN_HEADERS, with units), a [lo, hi] pair in one cell, predicted quantities by their label, booleans as
 * yes/no and missing values as "—". A zero-width interval (lo = hi, e.g. a bootstrap whose every resample
 * picked the same grid cell) is printed as "none (zero width)", never as if it were a 95% interval.
 */
export function recordsHtml(rows: readonly object[], options: RecordsHtmlOptions = {}): string {
  const digits = options.digits ?? 4;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const header = (c: string): string => options.headers?.[c] ?? COLUMN_HEADERS[c] ?? c;
  const head = columns.map((c) => `<th>${escapeHtml(header(c))}</th>`).join("");
  const body = rows.map((r) => {
    const record = r as Record<string, unknown>;
    return `<tr>${columns.map((c) => `<td>${escapeHtml(recordCell(c, record[c], digits))}</td>`).join("")}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

/** Text of one record cell (see `recordsHtml`). */
export function recordCell(column: string, value: unknown, digits: number): string {
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number")) {
    const [lo, hi] = value as [number, number];
    return lo === hi ? "none (zero width)" : `[${formatCell(lo, digits)}, ${formatCell(hi, digits)}]`;
  }
  if (column === "quantity" && typeof value === "string") return QUANTITY_LABELS[value] ?? value;
  return formatCell(value, digits);
}
