/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import type { RunPoint } from "../fit/types";
import { asSvg, baseOptions, DEFAULT_HEIGHT, DEFAULT_WIDTH, log2Label, log2Ticks, sci, yLabel, type FigureOptions } from "./common";

/**
 * The paper's Figure 2: each budget's (batch size, learning rate) grid on log₂ axes, coloured by loss, with the
 * near-optimal region (within the fitter's threshold of the budget's best loss) outlined. One facet per budget;
 * colour is the loss excess over that budget's best, in %, so budgets with very different losses share one scale.
 */

export interface HyperparamGridOptions extends FigureOptions {
  /**
   * The near-optimal points as the fitter kept them (`nearOptimal.kept`), or their run keys. Points are matched
   * by `key` or by (compute, modelScale, batchTokens, learningRate). Default: none.
   */
  nearOptimal?: readonly RunPoint[] | ReadonlySet<string>;
  /** Upper end of the colour scale, in % excess loss; worse runs saturate. Default 5. */
  maxExcessPercent?: number;
  /** Print each cell's loss in it. Default true. */
  labels?: boolean;
}

/** Identity of a run for matching near-optimal points: its key, else its coordinates. */
export function runId(p: RunPoint): string {
  return p.key ?? `${p.compute}|${p.modelScale}|${p.batchTokens}|${p.learningRate}`;
}

/** Room below the title for the facet labels (C = …), in px. */
const FACET_LABEL_PX = 22;
/** Square radius of a cell, and the room its loss label takes below it (dy 17 + 8 px text), in px. */
const CELL_R = 11;
const CELL_LABEL_DY = 17;
/** Axis insets: a cell's half-size on top, a cell plus its label at the bottom, so no label touches the frame. */
const INSET_TOP = CELL_R + 7;
const INSET_BOTTOM = CELL_LABEL_DY + 8 + 7;
/**
 * Default size: px per grid step across (a cell plus its 5-character 8 px loss label, ≈ 24 px, with a gap) and
 * down (a cell, its label below it, a gap), so that facets sharing one x scale over budgets whose grids sit at
 * different B still keep neighbouring cells and labels apart.
 */
const PITCH_X = 38;
const PITCH_Y = 46;
/** fx padding (share of each facet's band left empty). */
const FACET_PADDING = 0.12;
/** Room outside the plot frames: left (y label and ticks), right, bottom (x ticks and label), in px. */
const FRAME_LEFT = 70, FRAME_RIGHT = 20, FRAME_BOTTOM = 40;

/** Median gap between neighbouring values within a budget: the grid step (batches rounded to whole sequences make a few gaps smaller). */
function gridStep(cells: readonly Cell[], field: "log2Batch" | "log2Lr"): number {
  const gaps: number[] = [];
  for (const budget of new Set(cells.map((c) => c.budget))) {
    const v = [...new Set(cells.filter((c) => c.budget === budget).map((c) => c[field]))].sort((a, b) => a - b);
    for (let i = 1; i < v.length; i++) if (v[i]! - v[i - 1]! > 1e-9) gaps.push(v[i]! - v[i - 1]!);
  }
  gaps.sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)]! : 1;
}

/** Steps spanned by all cells on one axis (the scale is shared by every facet), plus one for the cells themselves. */
function stepsAcross(cells: readonly Cell[], field: "log2Batch" | "log2Lr"): number {
  const v = cells.map((c) => c[field]);
  return (Math.max(...v) - Math.min(...v)) / gridStep(cells, field) + 1;
}

interface Cell {
  budget: string;
  log2Batch: number;
  log2Lr: number;
  loss: number;
  excessPercent: number;
  near: boolean;
  best: boolean;
}

export function hyperparamGridFigure(points: readonly RunPoint[], options: HyperparamGridOptions = {}): SVGSVGElement {
  const near = nearOptimalIds(options.nearOptimal);
  const ok = points.filter((p) => p.status === "ok" && Number.isFinite(p.loss));
  const bestLoss = new Map<number, number>();
  for (const p of ok) bestLoss.set(p.compute, Math.min(bestLoss.get(p.compute) ?? Infinity, p.loss));
  const cells: Cell[] = ok.map((p) => {
    const best = bestLoss.get(p.compute) ?? p.loss;
    return {
      budget: `C = ${sci(p.compute)}`,
      log2Batch: Math.log2(p.batchTokens),
      log2Lr: Math.log2(p.learningRate),
      loss: p.loss,
      excessPercent: (100 * (p.loss - best)) / best,
      near: near.has(runId(p)) || near.has(coordId(p)),
      best: p.loss === best,
    };
  });
  const budgets = [...bestLoss.keys()].sort((a, b) => a - b).map((c) => `C = ${sci(c)}`);
  const maxExcess = options.maxExcessPercent ?? 5;
  // Sized from the grid unless the caller fixes it, so dense grids never overlap.
  const facetWidth = stepsAcross(cells, "log2Batch") * PITCH_X + 2 * 18;
  const width = options.width ?? Math.max(DEFAULT_WIDTH, Math.ceil(FRAME_LEFT + FRAME_RIGHT + (budgets.length * facetWidth) / (1 - FACET_PADDING)));
  const plotHeight = stepsAcross(cells, "log2Lr") * PITCH_Y + INSET_TOP + INSET_BOTTOM;
  const base = baseOptions({ ...options, width }, {
    title:
      options.title ??
      `Loss over batch size × learning rate per budget\ncolour: loss above the budget's best, yellow 0 % → purple ≥ ${maxExcess} %; outlined: near-optimal; ★: best`,
    extraTop: FACET_LABEL_PX,
  });
  const marks: Plot.Markish[] = [
    Plot.frame({ stroke: "#ccc" }),
    Plot.dot(cells, {
      x: "log2Batch",
      y: "log2Lr",
      fx: "budget",
      symbol: "square",
      r: CELL_R,
      fill: (d: Cell) => Math.min(d.excessPercent, maxExcess),
    }),
    Plot.dot(
      cells.filter((d) => d.near),
      { x: "log2Batch", y: "log2Lr", fx: "budget", symbol: "square", r: 12, stroke: "black", strokeWidth: 2 },
    ),
    Plot.dot(
      cells.filter((d) => d.best),
      { x: "log2Batch", y: "log2Lr", fx: "budget", symbol: "star", r: 5, fill: "white", stroke: "black" },
    ),
    base.title,
  ];
  if (options.labels ?? true) {
    marks.push(
      Plot.text(cells, { x: "log2Batch", y: "log2Lr", fx: "budget", text: (d: Cell) => d.loss.toFixed(3), dy: CELL_LABEL_DY, fontSize: 8 }),
    );
  }
  return asSvg(
    Plot.plot({
      ...base.plot,
      height: options.height ?? Math.max(DEFAULT_HEIGHT, Math.ceil(base.plot.marginTop + plotHeight + FRAME_BOTTOM)),
      marginBottom: FRAME_BOTTOM,
      fx: { domain: budgets, label: null, padding: FACET_PADDING },
      x: { label: "log₂ batch size (tokens) →", inset: 18, ticks: log2Ticks(cells.map((d) => d.log2Batch)), tickFormat: log2Label },
      y: { ...yLabel("log₂ learning rate"), insetTop: INSET_TOP, insetBottom: INSET_BOTTOM, ticks: log2Ticks(cells.map((d) => d.log2Lr)), tickFormat: log2Label },
      color: { type: "linear", domain: [0, maxExcess], range: ["#fde725", "#440154"], interpolate: "hcl" },
      marks,
    }) as unknown as Element,
  );
}

function coordId(p: RunPoint): string {
  return `${p.compute}|${p.modelScale}|${p.batchTokens}|${p.learningRate}`;
}

function nearOptimalIds(near: HyperparamGridOptions["nearOptimal"]): Set<string> {
  if (!near) return new Set();
  if (near instanceof Set) return new Set(near);
  const ids = new Set<string>();
  for (const p of near as readonly RunPoint[]) {
    ids.add(runId(p));
    ids.add(coordId(p));
  }
  return ids;
}
