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
 * The paper's Figure 3: near-optimal batch size and learning rate against compute on log-log axes, the
 * near-optimal cloud (dark grey; the other runs hollow), the fitted power law with its interval band, and labelled points such as the
 * 7B/67B settings (9.2M tokens / 4.2e-4 and 19.7M tokens / 3.2e-4 at their budgets). Two panels, B then η.
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
}



/** `points` are the near-optimal runs the laws were fitted to (`nearOptimal.kept`). */
export function hyperparamLawsFigure(points: readonly RunPoint[], options: HyperparamLawsOptions = {}): SVGSVGElement {
  const document = options.document ?? svgDocument();
  const opts = { ...options, document };
  const batch = panel(points, opts, {
    field: "batchTokens",
    law: options.batchLaw,
    band: options.batchBand,
    targets: options.batchTargets ?? [],
    reference: options.batchReference,
    title: options.title ?? "Near-optimal batch size",
    yLabel: "batch size B (tokens)",
  });
  const lr = panel(points, opts, {
    field: "learningRate",
    law: options.learningRateLaw,
    band: options.learningRateBand,
    targets: options.learningRateTargets ?? [],
    reference: options.learningRateReference,
    title: options.title ?? "Near-optimal learning rate",
    yLabel: "learning rate η",
  });
  return sideBySide(document, [batch, lr]);
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
  title: string;
  yLabel: string;
}

function panel(points: readonly RunPoint[], options: HyperparamLawsOptions, spec: PanelSpec): Element {
  const others = options.others ?? [];
  const [xMin, xMax] = positiveExtent([
    ...points.map((p) => p.compute),
    ...others.map((p) => p.compute),
    ...spec.targets.map((t) => t.compute),
  ]);
  const marks: Plot.Markish[] = [
    Plot.dot(others, { x: "compute", y: spec.field, r: 2.5, stroke: OTHERS_GREY, strokeWidth: 1 }),
    Plot.dot(points, { x: "compute", y: spec.field, r: 3, fill: NEAR_GREY, fillOpacity: 0.8 }),
  ];
  const ys = [...points, ...others].map((p) => p[spec.field]).concat(spec.targets.map((t) => t.value));
  if (spec.law && Number.isFinite(xMin)) {
    const geometry = lawGeometry(spec.law, xMin, xMax, spec.band);
    ys.push(...geometry.line.map((d) => d.y), ...geometry.band.flatMap((d) => [d.lo, d.hi]));
    marks.push(...lawMarks(spec.law, xMin, xMax, geometry.band));
  }
  if (spec.reference && Number.isFinite(xMin)) {
    const ref = referenceLawMarks(spec.reference, xMin, xMax);
    ys.push(...ref.ys);
    marks.unshift(...ref.marks);
  }
  const base = baseOptions(options, { title: spec.title, marginLeft: 64 });
  marks.push(...labelledPointMarks(spec.targets), base.title);
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "non-embedding training compute C (FLOPs) →", tickFormat: sci, ticks: logTicks([xMin, xMax]), inset: 12 },
      y: { type: "log", ...yLabel(spec.yLabel), tickFormat: sci, ticks: logTicks(ys), grid: true, inset: 12 },
      marks,
    }) as unknown as Element,
  );
}
