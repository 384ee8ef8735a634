/// <reference lib="dom" />
import * as Plot from "@observablehq/plot";
import { eq2, modelScaleExact, nonEmbeddingParams, completeParams } from "../model/count";
import type { ModelShape } from "../model/shape";
import { asSvg, baseOptions, logTicks, sci, staggeredLabels, yLabel, type FigureOptions } from "./common";

/**
 * The paper's Table 3 as a figure: how far 6N₁ and 6N₂ are from the model scale M (non-embedding FLOPs per
 * token) across shapes. Both ratios are plotted against M; at small scale they miss M by up to ~50 % in
 * opposite directions (6N₁ leaves out attention, 6N₂ adds the vocabulary), and both approach 1 at large scale.
 */

/** One shape's three scale measures, in FLOPs per token. */
export interface ScaleRow {
  /** Display name, e.g. "24×1024". */
  label: string;
  /** M, non-embedding FLOPs per token. */
  modelScale: number;
  /** 6N₁. */
  sixN1: number;
  /** 6N₂. */
  sixN2: number;
}

/** Which counting rules: the paper's Eq. 2 (MHA, FFN exactly 8/3·d) or the exact shapes (real KV heads, FFN, norms). */
export type ScaleAccounting = "eq2" | "exact";

/** Scale rows of shapes, labelled `layers×dModel`. Pure accounting from lib/model/count. */
export function scaleRows(shapes: readonly ModelShape[], accounting: ScaleAccounting = "eq2"): ScaleRow[] {
  return shapes.map((s) => {
    const label = `${s.layers}×${s.dModel}`;
    if (accounting === "eq2") {
      const e = eq2(s);
      return { label, modelScale: e.modelScale, sixN1: e.sixN1, sixN2: e.sixN2 };
    }
    return { label, modelScale: modelScaleExact(s), sixN1: 6 * nonEmbeddingParams(s), sixN2: 6 * completeParams(s) };
  });
}

export interface ModelScaleOptions extends FigureOptions {
  /** Print the shape label next to each 6N₂/M point. Default true. */
  labels?: boolean;
}

export function modelScaleFigure(rows: readonly ScaleRow[], options: ModelScaleOptions = {}): SVGSVGElement {
  const series = rows.flatMap((r) => [
    { label: r.label, modelScale: r.modelScale, ratio: r.sixN1 / r.modelScale, measure: "6N₁ / M" },
    { label: r.label, modelScale: r.modelScale, ratio: r.sixN2 / r.modelScale, measure: "6N₂ / M" },
  ]);
  // Series names go at the smallest model, where the two proxies are furthest apart.
  const ends = ["6N₁ / M", "6N₂ / M"].flatMap((measure) => {
    const mine = series.filter((d) => d.measure === measure).sort((a, b) => a.modelScale - b.modelScale)[0];
    return mine ? [mine] : [];
  });
  const base = baseOptions(options, { title: options.title ?? "Parameter-based proxies vs model scale M (1 = exact; dashed: ±50 %)" });
  const marks: Plot.Markish[] = [
    Plot.ruleY([1], { stroke: "black" }),
    Plot.ruleY([0.5, 1.5], { stroke: "#999", strokeDasharray: "3,3" }),
    Plot.line(series, { x: "modelScale", y: "ratio", z: "measure", stroke: "measure" }),
    Plot.dot(series, { x: "modelScale", y: "ratio", fill: "measure", r: 4 }),
    Plot.text(ends, { x: "modelScale", y: "ratio", text: "measure", fill: "measure", dx: 10, textAnchor: "start", fontWeight: "bold" }),
    base.title,
  ];
  if (options.labels ?? true) {
    // Above the 6N₂ points: 6N₂/M lies above 6N₁/M at every scale, so labels clear both lines; neighbours alternate heights.
    marks.push(...staggeredLabels(series.filter((d) => d.measure === "6N₂ / M"), "modelScale", "ratio", (d) => d.label, { fontSize: 9 }));
  }
  return asSvg(
    Plot.plot({
      ...base.plot,
      x: { type: "log", label: "model scale M (non-embedding FLOPs/token) →", tickFormat: sci, ticks: logTicks(rows.map((r) => r.modelScale)), inset: 24 },
      y: { ...yLabel("proxy / M"), grid: true, domain: [0, 2] },
      color: { type: "ordinal", domain: ["6N₁ / M", "6N₂ / M"], range: ["#1f77b4", "#d62728"] },
      marks,
    }) as unknown as Element,
  );
}
