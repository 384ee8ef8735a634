/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { SVG_NS, FIGURE_FONT_FAMILY } from "./render";
import { textWidth } from "./text";

/**
 * A legend drawn as marks inside the panel (Plot's `legend` option would wrap the SVG in an HTML <figure>), one
 * line per mark kind, and panels laid out in a grid in one standalone SVG.
 */

/** How a legend line's swatch is drawn: a Plot symbol, or a line style. */
export type LegendSwatch =
  | { readonly kind: "symbol"; readonly symbol: "circle" | "diamond" | "star" | "square"; readonly fill?: string; readonly stroke?: string; readonly r?: number }
  | { readonly kind: "line"; readonly stroke: string; readonly dashed?: boolean }
  | { readonly kind: "area"; readonly fill: string };

export interface LegendItem {
  readonly label: string;
  readonly swatch: LegendSwatch;
}

/** Legend text size and line height, px. */
const LEGEND_FONT_PX = 10;
const LEGEND_LINE_PX = 15;
/** Gap from the frame's edge and the swatch column's width, px. */
const LEGEND_PAD_PX = 10;
const SWATCH_PX = 22;

/** Width in px the legend's lines take (swatch column and the widest label). */
export function legendWidth(items: readonly LegendItem[]): number {
  return SWATCH_PX + Math.max(0, ...items.map((i) => textWidth(i.label, LEGEND_FONT_PX)));
}

/** Height in px of a legend of `count` lines. */
export function legendHeight(count: number): number {
  return count * LEGEND_LINE_PX;
}

/** Marks of a legend in a corner of the frame; lines top to bottom in `items` order. */
export function legendMarks(items: readonly LegendItem[], corner: "top-left" | "top-right" | "bottom-left" | "bottom-right"): Plot.Markish[] {
  const left = corner.endsWith("left");
  const top = corner.startsWith("top");
  const x0 = left ? LEGEND_PAD_PX : -LEGEND_PAD_PX - legendWidth(items);
  const y = (i: number): number => (top ? LEGEND_PAD_PX + i * LEGEND_LINE_PX : -LEGEND_PAD_PX - (items.length - 1 - i) * LEGEND_LINE_PX);
  // The "legend" class tells the legend's marks from the data marks of the same kind (tests count data dots).
  const at = { frameAnchor: corner, className: "legend" } as const;
  return items.flatMap((item, i) => {
    const sw = item.swatch;
    const cx = x0 + SWATCH_PX / 2 - 2;
    const swatch: Plot.Markish =
      sw.kind === "symbol"
        ? Plot.dot([0], { ...at, dx: cx, dy: y(i), symbol: sw.symbol, r: sw.r ?? 4, fill: sw.fill ?? "none", stroke: sw.stroke ?? "none" })
        : sw.kind === "line"
          ? Plot.text([0], { ...at, dx: cx, dy: y(i), text: () => (sw.dashed ? "╍╍╍" : "━━━"), fill: sw.stroke, fontSize: 9, textAnchor: "middle" })
          : Plot.text([0], { ...at, dx: cx, dy: y(i), text: () => "███", fill: sw.fill, fillOpacity: 0.3, fontSize: 9, textAnchor: "middle" });
    return [swatch, Plot.text([0], { ...at, dx: x0 + SWATCH_PX, dy: y(i), text: () => item.label, fontSize: LEGEND_FONT_PX, textAnchor: "start", fill: "black" })];
  });
}

/** Panels in rows, one standalone SVG (each panel a nested <svg>); rows are as tall as their tallest panel. */
export function panelGrid(document: Document, rows: readonly (readonly Element[])[]): SVGSVGElement {
  const outer = document.createElementNS(SVG_NS, "svg") as SVGSVGElement;
  let y = 0;
  let width = 0;
  for (const row of rows) {
    let x = 0;
    let height = 0;
    for (const panel of row) {
      panel.setAttribute("x", String(x));
      panel.setAttribute("y", String(y));
      outer.appendChild(panel);
      x += Number(panel.getAttribute("width"));
      height = Math.max(height, Number(panel.getAttribute("height")));
    }
    width = Math.max(width, x);
    y += height;
  }
  outer.setAttribute("width", String(width));
  outer.setAttribute("height", String(y));
  outer.setAttribute("viewBox", `0 0 ${width} ${y}`);
  outer.setAttribute("font-family", FIGURE_FONT_FAMILY);
  return outer;
}
