/// <reference lib="dom" />
import * as jupyter from "tslab/dist/jupyter";
import { toPng, toSvgString } from "../figures/render";
import { recordsHtml, type RecordsHtmlOptions } from "../frames/html";

/**
 * What the notebooks display, in a form every reader shows: figures as PNG (GitHub, plain `jupyter nbconvert
 * --to html` and an untrusted notebook all render PNG, while nbconvert 6.5 blanks inline SVG and untrusted
 * Jupyter hides it), with the SVG in the same output where a live kernel draws it; tables as HTML with human
 * headers. Loaded only inside the tslab kernel (notebooks/); the rest of lib/ never imports it.
 */

/**
 * Set by scripts/run-notebooks.mjs for the committed, executed notebooks: figures go out as PNG only, since a
 * second (SVG) copy of each image would double the files and nbconvert would pick the blank SVG over the PNG.
 */
export const PNG_ONLY_ENV = "SCALING_NOTEBOOK_PNG_ONLY";

/** PNG pixels per SVG pixel: sharp on high-density screens, ~100 kB per figure. */
const PNG_SCALE = 2;
/** Widest a figure is shown, in CSS px, so two-panel figures fit a notebook page (it scales down, not crops). */
const MAX_DISPLAY_WIDTH_PX = 960;

/** Display a figure (an <svg> from lib/figures) as one output: PNG, plus SVG unless PNG_ONLY_ENV is set. */
export function showFigure(figure: Element): void {
  const svg = toSvgString(figure);
  const width = Number(figure.getAttribute("width")) || MAX_DISPLAY_WIDTH_PX;
  const data: Record<string, string> = {
    "image/png": Buffer.from(toPng(svg, { scale: PNG_SCALE })).toString("base64"),
    "text/plain": `<figure ${width}×${Number(figure.getAttribute("height"))} px>`,
  };
  if (!process.env[PNG_ONLY_ENV]) data["image/svg+xml"] = svg;
  emit(data, { "image/png": { width: Math.min(width, MAX_DISPLAY_WIDTH_PX) } });
}

/** Display records as an HTML table with human headers (see `recordsHtml`); nothing for zero rows. */
export function showTable(rows: readonly object[], options: RecordsHtmlOptions = {}): void {
  if (rows.length === 0) return;
  emit({ "text/html": recordsHtml(rows, options), "text/plain": `<table of ${rows.length} rows>` }, {});
}

/**
 * One display_data message with several representations, which tslab's public `display` cannot send (it sends
 * one MIME type per message); the frontend picks the richest one it can show.
 */
function emit(data: Record<string, string>, metadata: Record<string, unknown>): void {
  const write = jupyter.lastWriteDisplayData;
  if (!write) throw new Error("showFigure/showTable: no running tslab kernel — call them from a notebook cell");
  write({ data, metadata } as never, false);
}
