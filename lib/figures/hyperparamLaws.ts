/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import type { RunPoint } from "../fit/types";
import {
  asSvg,
  baseOptions,
  labelledPointMarks,
  lawGeometry,
  lawMarks,
  logTicks,
  positiveExtent,
  LAW_RED,
  REFERENCE_GREY,
  referenceLawMarks,
  sci,
  yLabel,
  type BandPoint,
  type FigureOptions,
  type LabelledPoint,
  type LawLine,
  type ReferenceLaw,
} from "./common";
import { lawFormula } from "./formula";
import { legendHeight, legendMarks, panelGrid, type LegendItem } from "./legend";
import { svgDocument } from "./render";

/**
 * The paper's Figure 3: near-optimal batch size and learning rate against compute on log-log axes, the
 * near-optimal cloud (dark grey; the other runs hollow), the fitted power law with its interval band, and labelled points such as the
 * 7B/67B settings (9.2M tokens / 4.2e-4 and 19.7M tokens / 3.2e-4 at their budgets). Two rows, B then η; in
 * each, the runs' own compute range on the left (the fitted formula in its legend) and, on the right, the law
 * extrapolated to the labelled points with the fitted range shaded, so neither view squeezes the other.
 */

export interface HyperparamLawsOptions extends FigureOptions {
  /** Fitted B_opt(C) law in tokens, with optional bootstrap draws for the band. Default: no line. */
  batchLaw?: LawLine;
  /** Fitted η_opt(C) law, with optional bootstrap draws for the band. Default: no line. */
  learningRateLaw?: LawLine;
  /** Precomputed band for the B law (used instead of its draws). Default: from `batchLaw.draws`. */
  batchBand?: readonly BandPoint[];
  /** Precomputed band for the η law (used instead of its draws). Default: from `learningRateLaw.draws`. */
  learningRateBand?: readonly BandPoint[];
  /** Labelled batch sizes (tokens) at their budgets, e.g. the 7B/67B settings. Default none. */
  batchTargets?: readonly LabelledPoint[];
  /** Labelled learning rates at their budgets, e.g. the 7B/67B settings. Default none. */
  learningRateTargets?: readonly LabelledPoint[];
  /** Runs that were not near-optimal, drawn faintly behind the cloud. Default none. */
  others?: readonly RunPoint[];
  /** A published B law drawn for comparison (thin grey line, labelled at its right end), e.g. DeepSeek Eq. 1. Default none. */
  batchReference?: ReferenceLaw;
  /** A published η law drawn for comparison, e.g. DeepSeek Eq. 1. Default none. */
  learningRateReference?: ReferenceLaw;
  /** A held-out measurement per panel (e.g. the verification budget's best B and η), drawn as a filled square. Default none. */
  batchHeldOut?: LabelledPoint;
  learningRateHeldOut?: LabelledPoint;
}

/** `points` are the near-optimal runs the laws were fitted to (`nearOptimal.kept`). */
export function hyperparamLawsFigure(points: readonly RunPoint[], options: HyperparamLawsOptions = {}): SVGSVGElement {
  const document = options.document ?? svgDocument();
  const opts = { ...options, document };
  const batch: PanelSpec = {
    field: "batchTokens",
    law: options.batchLaw,
    band: options.batchBand,
    targets: options.batchTargets ?? [],
    reference: options.batchReference,
    heldOut: options.batchHeldOut,
    title: options.title ?? "Near-optimal batch size",
    yLabel: "batch size B (tokens)",
    symbol: "B",
    legend: "top-left",
  };
  const lr: PanelSpec = {
    field: "learningRate",
    law: options.learningRateLaw,
    band: options.learningRateBand,
    targets: options.learningRateTargets ?? [],
    reference: options.learningRateReference,
    heldOut: options.learningRateHeldOut,
    title: options.title ?? "Near-optimal learning rate",
    yLabel: "peak learning rate η",
    symbol: "η",
    legend: "bottom-left",
  };
  return panelGrid(document, [batch, lr].map((spec) => [panel(points, opts, spec, "data"), panel(points, opts, spec, "extrapolation")]));
}

/** Runs that were not near-optimal: hollow mid grey, visible on white (#ddd dots were not) yet behind the cloud. */
const OTHERS_GREY = "#999";
/** The near-optimal cloud the laws are fitted to. */
const NEAR_GREY = "#555";

interface PanelSpec {
  field: "batchTokens" | "learningRate";
  law: LawLine | undefined;
  band: readonly BandPoint[] | undefined;
  targets: readonly LabelledPoint[];
  reference: ReferenceLaw | undefined;
  heldOut: LabelledPoint | undefined;
  title: string;
  yLabel: string;
  /** The quantity's symbol in the formula ("B", "η"). */
  symbol: string;
  /** Where the data panel's legend goes (the corner the cloud leaves free). */
  legend: "top-left" | "bottom-left";
}

/** Colour of the shaded compute range the law was fitted over, on the extrapolation panel. */
const FITTED_RANGE_FILL = "#eeeeee";
/** Held-out measurements: filled squares, apart from the fitted cloud's circles and the targets' stars. */
const HELD_OUT_FILL = "#2ca02c";
/** y inset that keeps a legend of `lines` lines clear of the data (its height plus the corner padding), px. */
const LEGEND_ROOM = (lines: number): number => legendHeight(lines) + 16;

function panel(points: readonly RunPoint[], options: HyperparamLawsOptions, spec: PanelSpec, range: "data" | "extrapolation"): Element {
  const others = options.others ?? [];
  const extrapolate = range === "extrapolation";
  const held = spec.heldOut ? [spec.heldOut] : [];
  const [fitMin, fitMax] = positiveExtent([...points.map((p) => p.compute), ...others.map((p) => p.compute)]);
  const [xMin, xMax] = positiveExtent([fitMin, fitMax, ...held.map((h) => h.compute), ...(extrapolate ? spec.targets.map((t) => t.compute) : [])]);
  const marks: Plot.Markish[] = [
    Plot.dot(others, { x: "compute", y: spec.field, r: 2.5, stroke: OTHERS_GREY, strokeWidth: 1 }),
    Plot.dot(points, { x: "compute", y: spec.field, r: 3, fill: NEAR_GREY, fillOpacity: 0.8 }),
  ];
  const ys = [...points, ...others].map((p) => p[spec.field]).concat((extrapolate ? spec.targets : []).map((t) => t.value), held.map((h) => h.value));

  if (spec.law && Number.isFinite(xMin)) {
    const geometry = lawGeometry(spec.law, xMin, xMax, spec.band);
    ys.push(...geometry.line.map((d) => d.y), ...geometry.band.flatMap((d) => [d.lo, d.hi]));
    marks.push(...lawMarks(spec.law, xMin, xMax, geometry.band));
  }
  if (spec.reference && Number.isFinite(xMin)) {
    const ref = referenceLawMarks(spec.reference, xMin, xMax);
    ys.push(...ref.ys);
    // On the data panel the legend names the reference law, so its in-plot label would only crowd the cloud.
    marks.unshift(...(extrapolate ? ref.marks : ref.marks.slice(0, 1)));
  }
  if (extrapolate && Number.isFinite(fitMin)) {
    marks.unshift(
      Plot.rectX([{ x1: fitMin, x2: fitMax }], { x1: "x1", x2: "x2", fill: FITTED_RANGE_FILL }),
      Plot.text(["fitted range"], { x: Math.sqrt(fitMin * fitMax), frameAnchor: "top", dy: 4, lineAnchor: "top", fontSize: 9, fill: "#555" }),
    );
  }
  const title = extrapolate ? `${spec.title}, extrapolated to the labelled budgets` : `${spec.title} over the runs' budgets`;
  const base = baseOptions(options, { title, marginLeft: 64 });
  marks.push(Plot.dot(held, { x: "compute", y: "value", symbol: "square", r: 5, fill: HELD_OUT_FILL, stroke: "black", strokeWidth: 0.5 }));
  const legend = legendItems(spec, others.length > 0, held.length > 0);
  if (extrapolate) marks.push(...labelledPointMarks(spec.targets));
  else marks.push(...legendMarks(legend, spec.legend));
  // The data panel keeps the legend's corner free of data: the y range is inset by the legend's height there.
  const legendInset = extrapolate ? {} : spec.legend === "top-left" ? { insetTop: LEGEND_ROOM(legend.length) } : { insetBottom: LEGEND_ROOM(legend.length) };
  marks.push(base.title);
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "non-embedding training compute C (FLOPs) →", tickFormat: sci, ticks: logTicks([xMin, xMax]), inset: 12 },
      y: { type: "log", ...yLabel(spec.yLabel), tickFormat: sci, ticks: logTicks(ys), grid: true, inset: 12, ...legendInset },
      marks,
    }) as unknown as Element,
  );
}

/** One legend line per mark kind the data panel draws; the fitted law's line carries its formula. */
function legendItems(spec: PanelSpec, hasOthers: boolean, hasHeldOut: boolean): LegendItem[] {
  const items: LegendItem[] = [{ label: "near-optimal run (fitted)", swatch: { kind: "symbol", symbol: "circle", fill: NEAR_GREY, r: 3 } }];
  if (hasOthers) items.push({ label: "other run", swatch: { kind: "symbol", symbol: "circle", stroke: OTHERS_GREY, r: 2.5 } });
  if (spec.law) {
    items.push({ label: `fitted: ${lawFormula(spec.symbol, spec.law)}`, swatch: { kind: "line", stroke: LAW_RED, dashed: true } });
    items.push({ label: "95% band of the fitted law", swatch: { kind: "area", fill: LAW_RED } });
  }
  if (spec.reference) items.push({ label: `${spec.reference.label}: ${lawFormula(spec.symbol, spec.reference)}`, swatch: { kind: "line", stroke: REFERENCE_GREY } });
  if (hasHeldOut) items.push({ label: `held-out measurement (${spec.heldOut?.label ?? ""})`, swatch: { kind: "symbol", symbol: "square", fill: HELD_OUT_FILL, r: 4 } });
  return items;
}
