/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { asSvg, baseOptions, BELOW_LABEL_PX, logSpace, logTicks, positiveExtent, sci, STAR_R, staggeredLabels, yLabel, type FigureOptions } from "./common";

/**
 * The paper's Figure 5: the compute-optimal loss against compute, the fitted L(C) curve extrapolated to
 * target budgets (the 7B and 67B runs), and the targets' predicted (hollow) and observed (filled) losses.
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
}

/** The curve's value at C. */
export function lossAt(law: LossLaw, compute: number): number {
  return (law.irreducible ?? 0) + law.coefficient * compute ** law.exponent;
}

export function lossComputeFigure(points: readonly LossComputePoint[], options: LossComputeOptions = {}): SVGSVGElement {
  const targets = options.targets ?? [];
  const law = options.law;
  const [xMin, xMax] = positiveExtent([...points.map((p) => p.compute), ...targets.map((t) => t.compute)]);
  const [fitMin, fitMax] = positiveExtent(points.map((p) => p.compute));
  const base = baseOptions(options, { title: options.title ?? "Compute-optimal loss, extrapolated (★ hollow: predicted, filled: observed)" });
  const marks: Plot.Markish[] = [];
  if (law && Number.isFinite(xMin)) {
    const fitted = logSpace(fitMin, fitMax, 32).map((c) => ({ compute: c, loss: lossAt(law, c) }));
    const extrapolated = logSpace(fitMax, xMax, 48).map((c) => ({ compute: c, loss: lossAt(law, c) }));
    const predicted = targets.map((t) => ({ ...t, predicted: lossAt(law, t.compute) }));
    marks.push(
      Plot.line(fitted, { x: "compute", y: "loss", stroke: "#d62728", strokeWidth: 1.5 }),
      Plot.line(extrapolated, { x: "compute", y: "loss", stroke: "#d62728", strokeWidth: 1.5, strokeDasharray: "5,3" }),
      Plot.dot(predicted, { x: "compute", y: "predicted", symbol: "star", r: STAR_R, stroke: "#1f77b4" }),
      ...staggeredLabels(predicted, "compute", "predicted", (d) => `${d.label}: ${d.predicted.toFixed(3)}`, {
        side: "below-left",
      }),
    );
  }
  const observed = targets.filter((t) => t.loss !== undefined && Number.isFinite(t.loss));
  marks.push(
    Plot.dot(points, { x: "compute", y: "loss", r: 4, fill: "#555" }),
    Plot.dot(observed, { x: "compute", y: "loss", symbol: "star", r: STAR_R, fill: "#1f77b4", stroke: "black", strokeWidth: 0.5 }),
    base.title,
  );
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "non-embedding training compute C (FLOPs) →", tickFormat: sci, ticks: logTicks([xMin, xMax]), inset: 12 },
      y: { ...yLabel(options.yLabel ?? "validation loss (bits per byte)"), grid: true, nice: true, insetBottom: targets.length > 0 ? BELOW_LABEL_PX : 0 },
      marks,
    }) as unknown as Element,
  );
}
