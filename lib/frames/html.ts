import type { DataFrame } from "./frame";

/** An HTML <table> of a frame for notebook display (`tslab.display.html`); numbers to `digits` significant digits. */
export function frameHtml(df: DataFrame, digits = 4): string {
  const columns = df.columns;
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
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
