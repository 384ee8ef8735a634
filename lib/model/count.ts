import type { ModelShape } from "./shape";

/**
 * Parameter and FLOP accounting of DeepSeek LLM §3.2 (arXiv 2401.02954, Eq. 2 and the text
 * around Table 3). Pure functions of a shape; every FLOP count is per token, forward + backward.
 */

/** Non-embedding parameters of one block: attention (real KV heads), SwiGLU (real width), 2 RMSNorms. */
export function blockParams(shape: ModelShape): number {
  const { dModel: d, heads, kvHeads, ffn } = shape;
  const kvWidth = (d / heads) * kvHeads;
  const attention = 2 * d * d + 2 * d * kvWidth; // Wq, Wo: d×d; Wk, Wv: d×kvWidth
  const swiglu = 3 * d * ffn; // W1, W3: d×ffn; W2: ffn×d
  const norms = 2 * d; // attention and FFN pre-norm gains
  return attention + swiglu + norms;
}

/** N₁: exact non-embedding parameters (all blocks plus the final RMSNorm). */
export function nonEmbeddingParams(shape: ModelShape): number {
  return shape.layers * blockParams(shape) + shape.dModel;
}

/** N₂ as the paper counts it: N₁ plus the vocabulary matrix once (its 6N₂ term is 6·n_vocab·d_model). */
export function completeParams(shape: ModelShape): number {
  return nonEmbeddingParams(shape) + shape.vocab * shape.dModel;
}

/** Parameters of the model as built: N₁ plus an untied embedding and an untied output head. */
export function builtParams(shape: ModelShape): number {
  return nonEmbeddingParams(shape) + 2 * shape.vocab * shape.dModel;
}

/** Attention-score FLOPs per token, forward + backward: 3 × 2 matmuls (QKᵀ, AV) × 2 × n·d·l, no causal halving. */
export function attentionFlopsPerToken(shape: ModelShape): number {
  return 12 * shape.layers * shape.dModel * shape.seq;
}

/** M from the exact shapes: 6·N₁ + 12·n_layer·d_model·l_seq (FLOPs per token). */
export function modelScaleExact(shape: ModelShape): number {
  return 6 * nonEmbeddingParams(shape) + attentionFlopsPerToken(shape);
}

/** The paper's Eq. 2, which assumes multi-head attention and an FFN of exactly 8/3·d_model. */
export interface Eq2Counts {
  /** 6N₁ = 72·n_layer·d_model² */
  readonly sixN1: number;
  /** 6N₂ = 72·n_layer·d_model² + 6·n_vocab·d_model */
  readonly sixN2: number;
  /** M = 72·n_layer·d_model² + 12·n_layer·d_model·l_seq */
  readonly modelScale: number;
}

export function eq2(shape: Pick<ModelShape, "layers" | "dModel" | "seq" | "vocab">): Eq2Counts {
  const { layers: n, dModel: d, seq: l, vocab: v } = shape;
  const dense = 72 * n * d * d;
  return { sixN1: dense, sixN2: dense + 6 * v * d, modelScale: dense + 12 * n * d * l };
}

/** Every count `scaling scale` reports, keyed as its JSON output. */
export interface ScaleReport {
  readonly N1: number;
  readonly N2: number;
  readonly sixN1: number;
  readonly sixN2: number;
  /** M by Eq. 2 */
  readonly M: number;
  /** M from the exact shapes */
  readonly Mexact: number;
  /** parameters of the model as built (untied embedding and head) */
  readonly params: number;
}

export function scaleReport(shape: ModelShape): ScaleReport {
  const N1 = nonEmbeddingParams(shape);
  const N2 = completeParams(shape);
  return {
    N1,
    N2,
    sixN1: 6 * N1,
    sixN2: 6 * N2,
    M: eq2(shape).modelScale,
    Mexact: modelScaleExact(shape),
    params: builtParams(shape),
  };
}

/** C = M·D (FLOPs), and its inverses. */
export const computeOf = (modelScale: number, tokens: number): number => modelScale * tokens;
export const tokensFor = (compute: number, modelScale: number): number => compute / modelScale;
export const modelScaleFor = (compute: number, tokens: number): number => compute / tokens;
