import { completeParams, eq2, modelScaleExact, nonEmbeddingParams } from "../model/count";
import type { ModelShape } from "../model/shape";
import { toFrame, type DataFrame } from "./frame";

/** The paper's Table 3 columns (arXiv 2401.02954 §3.2): shape, N₁, N₂, M and the two proxy ratios. */
export const SCALE_COLUMNS = ["layers", "dModel", "vocab", "seq", "N1", "N2", "M", "sixN1OverM", "sixN2OverM"] as const;

/**
 * Table 3 for any shapes. `eq2` counts as the paper does (N₁ = 12·n·d², N₂ = N₁ + n_vocab·d, M by Eq. 2);
 * `exact` uses the real KV heads, FFN width and norm gains (lib/model/count). Default "eq2".
 */
export function scaleFrame(shapes: readonly ModelShape[], accounting: "eq2" | "exact" = "eq2"): DataFrame {
  return toFrame(
    SCALE_COLUMNS,
    shapes.map((s) => {
      const e = eq2(s);
      const N1 = accounting === "eq2" ? e.sixN1 / 6 : nonEmbeddingParams(s);
      const N2 = accounting === "eq2" ? e.sixN2 / 6 : completeParams(s);
      const M = accounting === "eq2" ? e.modelScale : modelScaleExact(s);
      return [s.layers, s.dModel, s.vocab, s.seq, N1, N2, M, (6 * N1) / M, (6 * N2) / M];
    }),
  );
}
