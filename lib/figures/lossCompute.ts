/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { lawBand, type BandPoint } from "./band";
import { asSvg, baseOptions, BELOW_LABEL_PX, LAW_RED, logSpace, logTicks, positiveExtent, sci, STAR_R, staggeredLabels, yLabel, type FigureOptions } from "./common";
import { legendHeight, legendMarks, panelGrid, type LegendItem } from "./legend";
import { svgDocument } from "./render";

/**
 * The paper's Figure 5: the compute-optimal loss against compute, the fitted L(C) curve extrapolated to
 * target budgets (the 7B and 67B runs), and the targets' predicted (hollow) and observed (filled) losses. Two
 * panels: the fitted budgets (with the formula and a legend), then the curve extrapolated to the targets with the
 * fitted range shaded.
 */

/** One compute-optimal point: a budget and its best loss. */
export interface LossComputePoint {
  /** Compute budget C in FLOPs. */
  compute: number;
  /** Loss at the budget's optimum (bits per byte in this project). */
  loss: number;
}

/** The fitted curve loss(C) = irreducible + coefficient · C^exponent. */
export interface LossLaw {
  coefficient: number;
  /** Negative for a loss that falls with compute. */
  exponent: number;
  /** Loss floor E. Default 0 (a pure power law). */
  irreducible?: number;
  /** Paired bootstrap draws of (coefficient, exponent) for a pure power law's band. Default none. */
  draws?: { readonly coefficient: readonly number[]; readonly exponent: readonly number[] };
}

/** A budget to extrapolate to; `loss`, when given, is what the run observed there. */
export interface LossTarget {
  label: string;
  /** Compute budget C in FLOPs. */
  compute: number;
  /** Observed loss at that budget. Default: none, only the prediction is drawn. */
  loss?: number;
}

export interface LossComputeOptions extends FigureOptions {
  /** The fitted L(C); without it only the points are drawn. Default none. */
  law?: LossLaw;
  /** Budgets to extrapolate the curve to, e.g. the 7B and 67B runs. Default none. */
  targets?: readonly LossTarget[];
  /** y-axis label. Default "validation loss (bits per byte)". */
  yLabel?: string;
  /** The curve's 95% band; default: from `law.draws` when the law has no floor, else none. */
  band?: readonly BandPoint[];
}

/** The curve's value at C. */
export function lossAt(law: LossLaw, compute: number): number {
  return (law.irreducible ?? 0) + law.coefficient * compute ** law.exponent;
}

export function lossComputeFigure(points: readonly LossComputePoint[], options: LossComputeOptions = {}): SVGSVGElement {
  const document = options.document ?? svgDocument();
  const opts = { ...options, document };
  const [, fitMax] = positiveExtent(points.map((p) => p.compute));
  const targets = options.targets ?? [];
  // Targets inside the fitted range (a held-out budget next to the fitted ones) belong on the first panel too.
  const near = targets.filter((t) => t.compute <= fitMax * NEAR_FACTOR);
  if (targets.length === 0) return panelGrid(document, [[panel(points, opts, near, "data")]]);
  return panelGrid(document, [[panel(points, opts, near, "data"), panel(points, opts, targets, "extrapolation")]]);
}

/** Targets up to this factor above the largest fitted budget are drawn on the fitted-range panel as well. */
const NEAR_FACTOR = 10;
const FITTED_RANGE_FILL = "#eeeeee";
const POINT_GREY = "#555";
const TARGET_BLUE = "#1f77b4";

function panel(points: readonly LossComputePoint[], options: LossComputeOptions, targets: readonly LossTarget[], range: "data" | "extrapolation"): Element {
  const law = options.law;
  const extrapolate = range === "extrapolation";
  const [fitMin, fitMax] = positiveExtent(points.map((p) => p.compute));
  const [xMin, xMax] = positiveExtent([fitMin, fitMax, ...targets.map((t) => t.compute)]);
  const defaultTitle = extrapolate ? "Compute-optimal loss, extrapolated to the labelled budgets" : "Compute-optimal loss over the fitted budgets";
  const base = baseOptions(options, { title: options.title ? `${options.title}${extrapolate ? " (extrapolated)" : ""}` : defaultTitle });
  const marks: Plot.Markish[] = [];
  if (extrapolate && Number.isFinite(fitMin)) {
    marks.push(
      Plot.rectX([{ x1: fitMin, x2: fitMax }], { x1: "x1", x2: "x2", fill: FITTED_RANGE_FILL }),
      Plot.text(["fitted range"], { x: Math.sqrt(fitMin * fitMax), frameAnchor: "top", dy: 4, lineAnchor: "top", fontSize: 9, fill: "#555" }),
    );
  }
  const band = law && Number.isFinite(xMin) ? (options.band ?? curveBand(law, logSpace(xMin, xMax, 64))) : [];
  marks.push(Plot.areaY(band.filter((b) => b.x >= xMin && b.x <= xMax), { x: "x", y1: "lo", y2: "hi", fill: LAW_RED, fillOpacity: 0.15 }));
  const predicted = law ? targets.map((t) => ({ ...t, predicted: lossAt(law, t.compute) })) : [];
  if (law && Number.isFinite(xMin)) {
    const fitted = logSpace(fitMin, fitMax, 32).map((c) => ({ compute: c, loss: lossAt(law, c) }));
    const beyond = xMax > fitMax ? logSpace(fitMax, xMax, 48).map((c) => ({ compute: c, loss: lossAt(law, c) })) : [];
    marks.push(
      Plot.line(fitted, { x: "compute", y: "loss", stroke: LAW_RED, strokeWidth: 1.5 }),
      Plot.line(beyond, { x: "compute", y: "loss", stroke: LAW_RED, strokeWidth: 1.5, strokeDasharray: "5,3" }),
      Plot.dot(predicted, { x: "compute", y: "predicted", symbol: "star", r: STAR_R, stroke: TARGET_BLUE }),
      ...staggeredLabels(predicted, "compute", "predicted", (d) => `${d.label}: ${d.predicted.toFixed(3)}`, { side: "below-left" }),
    );
  }
  const observed = targets.filter((t) => t.loss !== undefined && Number.isFinite(t.loss));
  marks.push(
    Plot.dot(points, { x: "compute", y: "loss", r: 4, fill: POINT_GREY }),
    Plot.dot(observed, { x: "compute", y: "loss", symbol: "star", r: STAR_R, fill: TARGET_BLUE, stroke: "black", strokeWidth: 0.5 }),
  );
  const legend = extrapolate ? [] : legendItems(law, band.length > 0, predicted.length > 0, observed.length > 0);
  marks.push(...legendMarks(legend, "top-right"), base.title);
  const ys = [...points.map((p) => p.loss), ...predicted.map((p) => p.predicted), ...observed.map((o) => o.loss ?? NaN), ...band.flatMap((b) => [b.lo, b.hi])].filter(Number.isFinite);
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "non-embedding training compute C (FLOPs) →", tickFormat: sci, ticks: logTicks([xMin, xMax]), inset: 12 },
      y: {
        ...yLabel(options.yLabel ?? "validation loss (bits per byte)"),
        grid: true,
        nice: true,
        domain: ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : undefined,
        insetBottom: predicted.length > 0 ? BELOW_LABEL_PX : 0,
        insetTop: legend.length > 0 ? legendHeight(legend.length) + 16 : 0,
      },
      marks,
    }) as unknown as Element,
  );
}

/** The pure power law's band from its draws (a floor E has no paired draws, so no band). */
function curveBand(law: LossLaw, xs: readonly number[]): BandPoint[] {
  if ((law.irreducible ?? 0) !== 0 || !law.draws) return [];
  return lawBand({ coefficient: law.coefficient, exponent: law.exponent, draws: law.draws }, xs);
}

function lossFormula(law: LossLaw): string {
  const e = law.irreducible ?? 0;
  const k = Number(law.coefficient.toPrecision(3));
  const a = Number((-law.exponent).toPrecision(3));
  return `L = ${e !== 0 ? `${Number(e.toPrecision(3))} + ` : ""}${k}·C^−${a}`;
}

function legendItems(law: LossLaw | undefined, hasBand: boolean, hasPredicted: boolean, hasObserved: boolean): LegendItem[] {
  const items: LegendItem[] = [{ label: "budget's optimum (fitted)", swatch: { kind: "symbol", symbol: "circle", fill: POINT_GREY } }];
  if (law) items.push({ label: `fitted: ${lossFormula(law)}`, swatch: { kind: "line", stroke: LAW_RED } });
  if (hasBand) items.push({ label: "95% band of the fitted curve", swatch: { kind: "area", fill: LAW_RED } });
  if (hasPredicted) items.push({ label: "predicted at a target budget", swatch: { kind: "symbol", symbol: "star", stroke: TARGET_BLUE, r: 5 } });
  if (hasObserved) items.push({ label: "measured at a target budget", swatch: { kind: "symbol", symbol: "star", fill: TARGET_BLUE, stroke: "black", r: 5 } });
  return items;
}
