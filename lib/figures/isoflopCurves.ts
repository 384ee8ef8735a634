/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import type { RunPoint } from "../fit/types";
import { asSvg, baseOptions, logSpace, logTicks, positiveExtent, sci, yLabel, type FigureOptions } from "./common";
import { seriesColours } from "./palette";

/**
 * The paper's Figure 4(a): loss against model scale M for each compute budget, the fitted parabola of each
 * IsoFLOP curve (loss = a·(ln M)² + b·ln M + c), and each curve's minimum. Budgets are told apart by colour and a
 * direct label at the curve's left end (a legend would turn the SVG into an HTML figure); the colours are dark
 * enough on white for the labels to be read (`seriesColours`).
 */

/** One budget's fitted IsoFLOP parabola and its minimum, as the IsoFLOP fitter returns it. */
export interface IsoflopBudgetFit {
  /** Compute budget C in FLOPs. */
  compute: number;
  /** Coefficients in ln M: loss = a·(ln M)² + b·ln M + c. */
  parabola: { a: number; b: number; c: number };
  /** M at the minimum (FLOPs per token). Default: −b/(2a) from the parabola. */
  modelScale?: number;
  /** Loss at the minimum. Default: the parabola's value there. */
  loss?: number;
  /** Fit status; a non-`ok` minimum is drawn hollow. Default "ok". */
  status?: string;
}

export interface IsoflopCurvesOptions extends FigureOptions {
  /** Per-budget fits; budgets without one show their points only. Default none. */
  fits?: readonly IsoflopBudgetFit[];
  /** y-axis label. Default "validation loss (bits per byte)". */
  yLabel?: string;
}

/** The minimum of a budget's parabola: given values, else the vertex (NaN when a ≤ 0). */
export function parabolaMinimum(fit: IsoflopBudgetFit): { modelScale: number; loss: number } {
  const { a, b, c } = fit.parabola;
  const lnM = a > 0 ? -b / (2 * a) : NaN;
  const modelScale = fit.modelScale ?? Math.exp(lnM);
  const x = Math.log(modelScale);
  return { modelScale, loss: fit.loss ?? a * x * x + b * x + c };
}

export function isoflopCurvesFigure(points: readonly RunPoint[], options: IsoflopCurvesOptions = {}): SVGSVGElement {
  const ok = points.filter((p) => p.status === "ok");
  const fits = options.fits ?? [];
  const budgetOf = (c: number) => sci(c);
  const budgets = [...new Set([...ok.map((p) => p.compute), ...fits.map((f) => f.compute)])].sort((a, b) => a - b);
  const curves = fits.flatMap((f) => {
    const mine = ok.filter((p) => p.compute === f.compute).map((p) => p.modelScale);
    const [lo, hi] = positiveExtent(mine.length > 0 ? mine : [parabolaMinimum(f).modelScale]);
    const { a, b, c } = f.parabola;
    return logSpace(lo / 1.15, hi * 1.15, 48).map((m) => {
      const x = Math.log(m);
      return { budget: budgetOf(f.compute), modelScale: m, loss: a * x * x + b * x + c };
    });
  });
  const minima = fits.map((f) => ({ budget: budgetOf(f.compute), ok: (f.status ?? "ok") === "ok", ...parabolaMinimum(f) }));
  // Each label sits left of its curve's left end (else of its leftmost point), clear of the dashed line.
  const labels = budgets.flatMap((c) => {
    const ends = [...curves.filter((d) => d.budget === budgetOf(c)), ...ok.filter((p) => p.compute === c)];
    const mine = ends.sort((p, q) => p.modelScale - q.modelScale)[0];
    return mine ? [{ budget: budgetOf(c), modelScale: mine.modelScale, loss: mine.loss }] : [];
  });
  const rows = ok.map((p) => ({ budget: budgetOf(p.compute), modelScale: p.modelScale, loss: p.loss }));
  const base = baseOptions(options, { title: options.title ?? "IsoFLOP curves, one per compute budget C in FLOPs (◆: fitted minimum)" });
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "model scale M (non-embedding FLOPs/token) →", tickFormat: sci, ticks: logTicks([...rows.map((r) => r.modelScale), ...curves.map((r) => r.modelScale)]), insetLeft: 36 },
      y: { ...yLabel(options.yLabel ?? "validation loss (bits per byte)"), grid: true, nice: true },
      color: { type: "ordinal", domain: budgets.map(budgetOf), range: seriesColours(budgets.length) },
      marks: [
        Plot.line(curves, { x: "modelScale", y: "loss", z: "budget", stroke: "budget", strokeDasharray: "4,3" }),
        Plot.dot(rows, { x: "modelScale", y: "loss", fill: "budget", r: 3 }),
        Plot.dot(minima.filter((m) => m.ok), { x: "modelScale", y: "loss", symbol: "diamond", r: 6, fill: "#d62728", stroke: "black" }),
        Plot.dot(minima.filter((m) => !m.ok), { x: "modelScale", y: "loss", symbol: "diamond", r: 6, stroke: "#d62728" }),
        Plot.text(labels, { x: "modelScale", y: "loss", text: "budget", fill: "budget", dx: -6, textAnchor: "end", fontSize: 9, fontWeight: "bold" }),
        base.title,
      ],
    }) as unknown as Element,
  );
}
