/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import {
  asSvg,
  baseOptions,
  labelledPointMarks,
  lawGeometry,
  lawMarks,
  logTicks,
  positiveExtent,
  referenceLawMarks,
  sci,
  sideBySide,
  yLabel,
  type BandPoint,
  type FigureOptions,
  type LabelledPoint,
  type LawLine,
  type ReferenceLaw,
} from "./common";
import { svgDocument } from "./render";

/**
 * The paper's Figure 4(b)/(c): the IsoFLOP optima M_opt and D_opt against compute on log-log axes, with the
 * fitted power laws (Eq. 4) and their interval bands. Two panels, M then D.
 */

/** One budget's optimum, as the IsoFLOP fitter reports it. */
export interface AllocationPoint {
  /** Compute budget C in FLOPs. */
  compute: number;
  /** M_opt, non-embedding FLOPs per token. */
  modelScale: number;
  /** D_opt, training tokens. */
  tokens: number;
  /** Fit status of the budget's parabola; non-`ok` optima are drawn hollow. Default "ok". */
  status?: string;
}

export interface AllocationOptions extends FigureOptions {
  /** Fitted M_opt(C) law. Default: no line. */
  modelScaleLaw?: LawLine;
  /** Fitted D_opt(C) law. Default: no line. */
  tokensLaw?: LawLine;
  /** Precomputed band for the M law. Default: from `modelScaleLaw.draws`. */
  modelScaleBand?: readonly BandPoint[];
  /** Precomputed band for the D law. Default: from `tokensLaw.draws`. */
  tokensBand?: readonly BandPoint[];
  /** Labelled M values at their budgets, e.g. the 67B's 4.3e11 FLOPs/token at 4.5e23. Default none. */
  modelScaleTargets?: readonly LabelledPoint[];
  /** Labelled D values at their budgets, e.g. 1.04e12 tokens at 4.5e23. Default none. */
  tokensTargets?: readonly LabelledPoint[];
  /** A published M_opt law drawn for comparison (grey, labelled), e.g. DeepSeek Eq. 4. Default none. */
  modelScaleReference?: ReferenceLaw;
  /** A published D_opt law drawn for comparison, e.g. DeepSeek Eq. 4. Default none. */
  tokensReference?: ReferenceLaw;
}

export function allocationFigure(points: readonly AllocationPoint[], options: AllocationOptions = {}): SVGSVGElement {
  const document = options.document ?? svgDocument();
  const opts = { ...options, document };
  const m = panel(points, opts, "modelScale", options.modelScaleLaw, options.modelScaleBand, options.modelScaleTargets ?? [], options.modelScaleReference, {
    title: options.title ?? "Optimal model scale",
    yLabel: "M_opt (non-embedding FLOPs/token)",
  });
  const d = panel(points, opts, "tokens", options.tokensLaw, options.tokensBand, options.tokensTargets ?? [], options.tokensReference, {
    title: options.title ?? "Optimal data scale",
    yLabel: "D_opt (tokens)",
  });
  return sideBySide(document, [m, d]);
}

function panel(
  points: readonly AllocationPoint[],
  options: AllocationOptions,
  field: "modelScale" | "tokens",
  law: LawLine | undefined,
  band: readonly BandPoint[] | undefined,
  targets: readonly LabelledPoint[],
  reference: ReferenceLaw | undefined,
  text: { title: string; yLabel: string },
): Element {
  const [xMin, xMax] = positiveExtent([...points.map((p) => p.compute), ...targets.map((t) => t.compute)]);
  const ok = points.filter((p) => (p.status ?? "ok") === "ok");
  const notOk = points.filter((p) => (p.status ?? "ok") !== "ok");
  const base = baseOptions(options, { title: text.title, marginLeft: 64 });
  const marks: Plot.Markish[] = [];
  const ys = points.map((p) => p[field]).concat(targets.map((t) => t.value));
  if (reference && Number.isFinite(xMin)) {
    const ref = referenceLawMarks(reference, xMin, xMax);
    ys.push(...ref.ys);
    marks.push(...ref.marks);
  }
  if (law && Number.isFinite(xMin)) {
    const geometry = lawGeometry(law, xMin, xMax, band);
    ys.push(...geometry.line.map((d) => d.y), ...geometry.band.flatMap((d) => [d.lo, d.hi]));
    marks.push(...lawMarks(law, xMin, xMax, geometry.band));
  }
  marks.push(
    Plot.dot(ok, { x: "compute", y: field, r: 4, fill: "#555" }),
    Plot.dot(notOk, { x: "compute", y: field, r: 4, stroke: "#555" }),
    ...labelledPointMarks(targets),
    base.title,
  );
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "non-embedding training compute C (FLOPs) →", tickFormat: sci, ticks: logTicks([xMin, xMax]), inset: 12 },
      y: { type: "log", ...yLabel(text.yLabel), tickFormat: sci, ticks: logTicks(ys), grid: true, inset: 12 },
      marks,
    }) as unknown as Element,
  );
}
