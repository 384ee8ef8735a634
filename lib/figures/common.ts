/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { lawBand, type BandPoint, type LawLine } from "./band";
import { FIGURE_FONT_FAMILY, SVG_NS, svgDocument } from "./render";

export { lawBand, type BandPoint, type LawLine };

/**
 * Shared pieces of the figures: the base options, axis formatting, the title mark, law lines with interval
 * bands, and side-by-side panels. Titles and labels are marks inside the SVG, never Plot's `title`/`legend`
 * options, which wrap the chart in an HTML <figure> that is not a standalone SVG.
 */

/** Options every figure takes. */
export interface FigureOptions {
  /** Document to create the SVG in (headless: `svgDocument()`). Default: a fresh linkedom document. */
  document?: Document;
  /** Title drawn at the top of the figure (of each panel, for two-panel figures). Default: per figure. */
  title?: string;
  /** Width in px (of each panel, for two-panel figures). Default 640. */
  width?: number;
  /** Height in px. Default 400. */
  height?: number;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;
/** Extra top margin that makes room for the title line. */
const TITLE_MARGIN = 34;

/** A labelled point such as the 7B/67B configurations. */
export interface LabelledPoint {
  label: string;
  /** Compute budget C in FLOPs (non-embedding, = M·D). */
  compute: number;
  /** Value on the panel's y axis. */
  value: number;
}

/** Plot's base options shared by every panel: size, font, white background, the resolved document. */
export function baseOptions(options: FigureOptions, defaults: { title: string; marginLeft?: number }) {
  return {
    document: options.document ?? svgDocument(),
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    marginTop: TITLE_MARGIN,
    marginLeft: defaults.marginLeft ?? 70,
    marginRight: 30,
    style: { fontFamily: FIGURE_FONT_FAMILY, background: "white", fontSize: "11px" },
  };
}

/** The title as a text mark at the top of the SVG, left-aligned with the frame; "\n" starts a new line. */
export function titleMark(title: string, marginTop = TITLE_MARGIN): Plot.Markish {
  return Plot.text([title], {
    facet: "super",
    frameAnchor: "top-left",
    lineAnchor: "top",
    dy: -marginTop + 6,
    fontSize: 13,
    fontWeight: "bold",
    textAnchor: "start",
  });
}

/** Tick label for log axes: 1e17, 3e17, 2.5e-4 (no "+" in the exponent). */
export function sci(value: number): string {
  if (value === 0) return "0";
  const [mantissa = "", exponent = ""] = value.toExponential(2).split("e");
  const m = mantissa.replace(/\.?0+$/, "");
  return `${m}e${exponent.replace("+", "")}`;
}

/**
 * Tick values for a log axis over the extent of `values`: powers of ten, or 1-2-5 steps when that gives fewer
 * than three ticks (d3's log ticks mark every integer multiple, which crowds wide axes).
 */
export function logTicks(values: Iterable<number>): number[] {
  const [lo, hi] = positiveExtent(values);
  if (!Number.isFinite(lo)) return [];
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  for (const steps of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks: number[] = [];
    for (let e = from; e <= to; e++) {
      for (const s of steps) {
        const t = Number((s * 10 ** e).toPrecision(12));
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
      }
    }
    if (ticks.length >= 3 || steps.length === 9) return ticks;
  }
  return [];
}

/** y-axis label drawn rotated along the axis, so it never collides with the title line. */
export function yLabel(label: string) {
  return { label, labelAnchor: "center" as const, labelArrow: "none" as const };
}

/** `count` log-spaced values spanning [lo, hi]. */
export function logSpace(lo: number, hi: number, count: number): number[] {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: count }, (_, i) => Math.exp(a + ((b - a) * i) / Math.max(1, count - 1)));
}

/** The x grid, line and band a law is drawn with (exposed so axes can include the band in their extent). */
export function lawGeometry(law: LawLine, xMin: number, xMax: number, band?: readonly BandPoint[]) {
  const xs = logSpace(xMin, xMax, 64);
  const line = xs.map((x) => ({ x, y: law.coefficient * x ** law.exponent }));
  return { line, band: band ?? lawBand(law, xs) };
}

/** Marks for a fitted law: the interval band (given or from draws), then the line, over [xMin, xMax]. */
export function lawMarks(
  law: LawLine,
  xMin: number,
  xMax: number,
  band?: readonly BandPoint[],
  stroke = "#d62728",
): Plot.Markish[] {
  const { line, band: area } = lawGeometry(law, xMin, xMax, band);
  return [
    Plot.areaY(area, { x: "x", y1: "lo", y2: "hi", fill: stroke, fillOpacity: 0.15 }),
    Plot.line(line, { x: "x", y: "y", stroke, strokeWidth: 1.5, strokeDasharray: "5,3" }),
  ];
}

/** Stars with text labels, for the 7B/67B configurations and other targets. */
export function labelledPointMarks(points: readonly LabelledPoint[], fill = "#1f77b4"): Plot.Markish[] {
  return [
    Plot.dot(points, { x: "compute", y: "value", symbol: "star", r: 7, fill, stroke: "black", strokeWidth: 0.5 }),
    Plot.text(points, { x: "compute", y: "value", text: "label", dy: -12, fontSize: 10, fill: "black" }),
  ];
}

/** Extent of finite positive values (for log axes); [NaN, NaN] when there are none. */
export function positiveExtent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v) && v > 0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Two or more panels side by side in one standalone SVG (each panel a nested <svg>). */
export function sideBySide(document: Document, panels: readonly Element[]): SVGSVGElement {
  const outer = document.createElementNS(SVG_NS, "svg") as SVGSVGElement;
  let x = 0;
  let height = 0;
  for (const panel of panels) {
    const w = Number(panel.getAttribute("width"));
    const h = Number(panel.getAttribute("height"));
    panel.setAttribute("x", String(x));
    panel.setAttribute("y", "0");
    outer.appendChild(panel);
    x += w;
    height = Math.max(height, h);
  }
  outer.setAttribute("width", String(x));
  outer.setAttribute("height", String(height));
  outer.setAttribute("viewBox", `0 0 ${x} ${height}`);
  outer.setAttribute("font-family", FIGURE_FONT_FAMILY);
  return outer;
}

/** Plot returns SVGSVGElement | HTMLElement; with no legend or title option it is always an <svg>. */
export function asSvg(el: Element): SVGSVGElement {
  if (el.tagName.toLowerCase() !== "svg") throw new Error(`figure rendered as <${el.tagName}>, not <svg> — do not pass Plot's title/legend options`);
  return el as SVGSVGElement;
}
