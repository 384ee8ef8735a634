/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { lawBand, type BandPoint, type LawLine } from "./band";
import { panelGrid } from "./legend";
import { FIGURE_FONT_FAMILY, svgDocument } from "./render";
import { wrapText } from "./text";

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
/** Title font size in px. */
const TITLE_FONT_SIZE = 13;
/** Title line height in px (1.25 em). */
const TITLE_LINE_PX = TITLE_FONT_SIZE * 1.25;
/** Space above the first title line and between the last one and the frame, in px. */
const TITLE_PAD_TOP = 6;
const TITLE_PAD_BOTTOM = 12;
/** Room kept free right of the title, so glyph overhang never reaches the figure's edge (px). */
const TITLE_PAD_RIGHT = 8;
const MARGIN_RIGHT = 30;

/** A labelled point such as the 7B/67B configurations. */
export interface LabelledPoint {
  label: string;
  /** Compute budget C in FLOPs (non-embedding, = M·D). */
  compute: number;
  /** Value on the panel's y axis. */
  value: number;
}

/** Top margin that holds `lines` title lines (34 px for one line). */
export function titleMargin(lines: number): number {
  return Math.round(TITLE_PAD_TOP + lines * TITLE_LINE_PX + TITLE_PAD_BOTTOM);
}

/**
 * Plot's base options shared by every panel (size, font, white background, the resolved document, a top margin
 * that fits the wrapped title) and the title mark itself. `extraTop` adds room below the title (facet labels).
 */
export function baseOptions(options: FigureOptions, defaults: { title: string; marginLeft?: number; extraTop?: number }) {
  const width = options.width ?? DEFAULT_WIDTH;
  const marginLeft = defaults.marginLeft ?? 70;
  const lines = defaults.title === "" ? [] : wrapText(defaults.title, width - marginLeft - TITLE_PAD_RIGHT, TITLE_FONT_SIZE);
  const marginTop = titleMargin(Math.max(1, lines.length)) + (defaults.extraTop ?? 0);
  return {
    plot: {
      document: options.document ?? svgDocument(),
      width,
      height: options.height ?? DEFAULT_HEIGHT,
      marginTop,
      marginLeft,
      marginRight: MARGIN_RIGHT,
      style: { fontFamily: FIGURE_FONT_FAMILY, background: "white", fontSize: "11px" },
    },
    title: titleMark(lines.join("\n"), marginTop),
  };
}

/** The title as a text mark at the top of the SVG, left-aligned with the frame; "\n" starts a new line. */
export function titleMark(title: string, marginTop: number): Plot.Markish {
  return Plot.text([title], {
    facet: "super",
    frameAnchor: "top-left",
    lineAnchor: "top",
    lineHeight: TITLE_LINE_PX / TITLE_FONT_SIZE,
    dy: -marginTop + TITLE_PAD_TOP,
    fontSize: TITLE_FONT_SIZE,
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

/** Most ticks a log axis gets; wider ranges tick every 2nd, 3rd, … power of ten (a 640 px panel fits ~8 labels). */
const MAX_LOG_TICKS = 8;

/**
 * Tick values for a log axis over the extent of `values`: powers of ten (every k-th when there are more than
 * MAX_LOG_TICKS), or 1-2-5 steps when that gives fewer than three ticks (d3's log ticks mark every integer
 * multiple, which crowds wide axes).
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
    if (ticks.length > MAX_LOG_TICKS && steps.length === 1) {
      const every = Math.ceil(ticks.length / MAX_LOG_TICKS);
      return ticks.filter((t) => Math.round(Math.log10(t)) % every === 0);
    }
    if (ticks.length >= 3 || steps.length === 9) return ticks;
  }
  return [];
}

/**
 * Ticks for an axis of log₂ values: the integers inside their extent, or half-integers when fewer than two
 * integers fall inside, so every tick label (see `log2Label`) is exact and no two ticks share one.
 */
export function log2Ticks(values: Iterable<number>): number[] {
  const finite = [...values].filter(Number.isFinite);
  if (finite.length === 0) return [];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  for (const step of [1, 0.5]) {
    const ticks: number[] = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(t);
    if (ticks.length >= 2 || step === 0.5) return ticks;
  }
  return [];
}

/** Label for a log₂ tick: "−5", "−5.5" (Unicode minus, as Plot prints numbers). */
export function log2Label(value: number): string {
  const text = Number.isInteger(value) ? String(Math.abs(value)) : Math.abs(value).toFixed(1);
  return value < 0 ? `−${text}` : text;
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

/** Colour of fitted laws (line and band). */
export const LAW_RED = "#d62728";

/** Marks for a fitted law: the interval band (given or from draws), then the line, over [xMin, xMax]. */
export function lawMarks(
  law: LawLine,
  xMin: number,
  xMax: number,
  band?: readonly BandPoint[],
  stroke = LAW_RED,
): Plot.Markish[] {
  const { line, band: area } = lawGeometry(law, xMin, xMax, band);
  return [
    Plot.areaY(area, { x: "x", y1: "lo", y2: "hi", fill: stroke, fillOpacity: 0.15 }),
    Plot.line(line, { x: "x", y: "y", stroke, strokeWidth: 1.5, strokeDasharray: "5,3" }),
  ];
}

/** A published law drawn for comparison, y = coefficient · C^exponent, with its label (e.g. "DeepSeek Eq. 1"). */
export interface ReferenceLaw {
  readonly coefficient: number;
  readonly exponent: number;
  readonly label: string;
}

/** The reference law: mid grey, thinner than a fitted law and solid, so the two never look alike. */
export const REFERENCE_GREY = "#777";

/**
 * Marks of a reference law over [xMin, xMax] (a straight line on log-log axes) and its y values for the
 * axis domain. The label sits at the line's log-midpoint on the side where the line falls away, clear of it.
 */
export function referenceLawMarks(ref: ReferenceLaw, xMin: number, xMax: number): { marks: Plot.Markish[]; ys: number[] } {
  const line = [xMin, Math.sqrt(xMin * xMax), xMax].map((x) => ({ x, y: ref.coefficient * x ** ref.exponent }));
  const rising = ref.exponent > 0;
  return {
    marks: [
      Plot.line(line, { x: "x", y: "y", stroke: REFERENCE_GREY, strokeWidth: 1 }),
      Plot.text([line[1]!], { x: "x", y: "y", text: () => ref.label, fill: REFERENCE_GREY, fontSize: 10, dx: rising ? -6 : 6, dy: -6, textAnchor: rising ? "end" : "start" }),
    ],
    ys: line.map((d) => d.y),
  };
}

/** Radius option of the target stars; d3's star with Plot's r = 7 reaches ~11.7 px from its centre. */
export const STAR_R = 7;
/** Gap from a star's centre to the bottom of its label, and the extra lift of every other label, in px. */
const STAR_LABEL_GAP = 14;
const STAGGER_PX = 12;
/** The rightmost label ends this far right of its point's centre (about the star's reach), in px. */
const STAR_LABEL_DX = 10;

/**
 * Text labels of target points, staggered so labels of neighbouring points (the 7B and 67B budgets are only a
 * few× apart) do not print over each other or over the other star.
 * - "above" (rising curves): above each point, lifted alternately from the largest x down; the rightmost label
 *   ends at its point instead of centring on it, so it cannot run past the figure's right edge.
 * - "below-left" (falling curves, whose line lies above and to the left of a point): ending left of each point,
 *   below it, lowered alternately from the smallest x up, so a right neighbour's label clears the left star.
 */
export function staggeredLabels<T>(
  points: readonly T[],
  x: keyof T & string,
  y: keyof T & string,
  text: (d: T) => string,
  options: { fontSize?: number; side?: "above" | "below-left" } = {},
): Plot.Markish[] {
  const fontSize = options.fontSize ?? 10;
  const mark = (data: T[], level: number, anchor: "middle" | "end", dx: number, below: boolean) =>
    Plot.text(data, {
      x,
      y,
      text,
      dx,
      dy: below ? STAR_LABEL_GAP + level * STAGGER_PX : -STAR_LABEL_GAP - level * STAGGER_PX,
      textAnchor: anchor,
      lineAnchor: below ? "top" : "bottom",
      fontSize,
      fill: "black",
    });
  if (options.side === "below-left") {
    const ordered = [...points].sort((a, b) => Number(a[x]) - Number(b[x]));
    return [0, 1].map((level) => mark(ordered.filter((_, i) => i % 2 === level), level, "end", -STAR_LABEL_DX, true));
  }
  const ordered = [...points].sort((a, b) => Number(b[x]) - Number(a[x]));
  return [
    mark(ordered.slice(0, 1), 0, "end", STAR_LABEL_DX, false),
    ...[0, 1].map((level) => mark(ordered.filter((_, i) => i > 0 && i % 2 === level), level, "middle", 0, false)),
  ];
}

/** Room a "below-left" label column takes under its point (gap, stagger, one text line), for axis insets (px). */
export const BELOW_LABEL_PX = STAR_LABEL_GAP + STAGGER_PX + 14;

/** Stars with text labels, for the 7B/67B configurations and other targets. */
export function labelledPointMarks(points: readonly LabelledPoint[], fill = "#1f77b4"): Plot.Markish[] {
  return [
    Plot.dot(points, { x: "compute", y: "value", symbol: "star", r: STAR_R, fill, stroke: "black", strokeWidth: 0.5 }),
    ...staggeredLabels(points, "compute", "value", (d) => d.label),
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
  return panelGrid(document, [panels]);
}

/** Plot returns SVGSVGElement | HTMLElement; with no legend or title option it is always an <svg>. */
export function asSvg(el: Element): SVGSVGElement {
  if (el.tagName.toLowerCase() !== "svg") throw new Error(`figure rendered as <${el.tagName}>, not <svg> — do not pass Plot's title/legend options`);
  return el as SVGSVGElement;
}
