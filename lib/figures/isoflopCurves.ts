/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import type { RunPoint } from "../fit/types";
import { asSvg, baseOptions, DEFAULT_HEIGHT, logSpace, logTicks, positiveExtent, sci, yLabel, type FigureOptions } from "./common";
import { legendHeight, legendMarks, type LegendItem } from "./legend";
import { seriesColours } from "./palette";

/**
 * The paper's Figure 4(a): loss against model scale M for each compute budget, the fitted parabola of each
 * IsoFLOP curve (loss = a·(ln M)² + b·ln M + c), and each curve's minimum. Budgets are told apart by colour,
 * named in a legend drawn as marks in the bottom-left corner (direct labels at the curves' ends printed over the
 * neighbouring curves, whose ends crowd together), with the y range inset so the legend never covers data.
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
  const rows = ok.map((p) => ({ budget: budgetOf(p.compute), modelScale: p.modelScale, loss: p.loss }));
  const base = baseOptions(options, { title: options.title ?? "IsoFLOP curves, one per compute budget C" });
  const colours = seriesColours(budgets.length);
  const legend: LegendItem[] = [
    ...budgets.map((c, i): LegendItem => ({ label: `C = ${budgetOf(c)} FLOPs`, swatch: { kind: "line", stroke: colours[i] ?? "black", dashed: fits.some((f) => f.compute === c) } })),
    { label: "run", swatch: { kind: "symbol", symbol: "circle", fill: "#555", r: 3 } },
    ...(minima.some((m) => m.ok) ? [{ label: "parabola minimum (used in the laws)", swatch: { kind: "symbol", symbol: "diamond", fill: "#d62728", stroke: "black", r: 4 } } as const] : []),
    ...(minima.some((m) => !m.ok) ? [{ label: "minimum outside the sampled M (left out)", swatch: { kind: "symbol", symbol: "diamond", stroke: "#d62728", r: 4 } } as const] : []),
  ];
  return asSvg(
    Plot.plot({
      ...base.plot,
      // The legend's room is added to the default height, so the curves keep the plot area they had without it.
      height: options.height ?? DEFAULT_HEIGHT + legendHeight(legend.length),
      x: { type: "log", label: "model scale M (non-embedding FLOPs/token) →", tickFormat: sci, ticks: logTicks([...rows.map((r) => r.modelScale), ...curves.map((r) => r.modelScale)]), inset: 12 },
      y: { ...yLabel(options.yLabel ?? "validation loss (bits per byte)"), grid: true, nice: true, insetBottom: legendHeight(legend.length) + 16 },
      color: { type: "ordinal", domain: budgets.map(budgetOf), range: colours },
      marks: [
        Plot.line(curves, { x: "modelScale", y: "loss", z: "budget", stroke: "budget", strokeDasharray: "4,3" }),
        Plot.dot(rows, { x: "modelScale", y: "loss", fill: "budget", r: 3 }),
        Plot.dot(minima.filter((m) => m.ok), { x: "modelScale", y: "loss", symbol: "diamond", r: 6, fill: "#d62728", stroke: "black" }),
        Plot.dot(minima.filter((m) => !m.ok), { x: "modelScale", y: "loss", symbol: "diamond", r: 6, stroke: "#d62728" }),
        ...legendMarks(legend, "bottom-left"),
        base.title,
      ],
    }) as unknown as Element,
  );
}
