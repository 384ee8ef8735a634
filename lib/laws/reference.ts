import type { ModelShape } from "../model/shape";
import type { Citation } from "./published";

/**
 * The released DeepSeek LLM configurations (arXiv 2401.02954, Table 2; FFN widths from the
 * released Hugging Face configs), as the actual settings a prediction is compared against.
 */

/** A released model and the settings it was trained with. */
export interface ReferenceModel {
  readonly name: string;
  /** Exact architecture, with the released integer FFN width. */
  readonly shape: ModelShape;
  /** Batch size in sequences of `shape.seq` tokens (Table 2 "Sequence Batch Size"). */
  readonly batchSequences: number;
  /** Batch size in tokens = batchSequences · shape.seq. */
  readonly batchTokens: number;
  /** Peak learning rate (Table 2). */
  readonly learningRate: number;
  /** Training tokens D (Table 2: 2.0T). */
  readonly tokens: number;
  readonly source: Citation;
}

/** Context length of both models, l_seq (Table 2). */
export const DEEPSEEK_CONTEXT_TOKENS = 4096;
/** Padded model vocabulary (§2.1: 100,015 tokens padded to 102,400). */
export const DEEPSEEK_VOCAB = 102400;
/** Both models saw 2T tokens (Table 2). */
export const DEEPSEEK_TRAINING_TOKENS = 2e12;

const TABLE2: Citation = { paper: "DeepSeek LLM (DeepSeek-AI 2024)", arxiv: "2401.02954", where: "§2.2, Table 2; FFN width from the released HF config" };

function reference(name: string, shape: Omit<ModelShape, "seq" | "vocab">, batchSequences: number, learningRate: number): ReferenceModel {
  return Object.freeze({
    name,
    shape: Object.freeze({ ...shape, seq: DEEPSEEK_CONTEXT_TOKENS, vocab: DEEPSEEK_VOCAB }),
    batchSequences,
    batchTokens: batchSequences * DEEPSEEK_CONTEXT_TOKENS,
    learningRate,
    tokens: DEEPSEEK_TRAINING_TOKENS,
    source: TABLE2,
  });
}

/** DeepSeek LLM 7B: 30 layers, d 4096, 32 heads (MHA), FFN 11008, batch 2304 sequences, LR 4.2e-4. */
export const DEEPSEEK_7B = reference("DeepSeek LLM 7B", { layers: 30, dModel: 4096, heads: 32, kvHeads: 32, ffn: 11008 }, 2304, 4.2e-4);

/** DeepSeek LLM 67B: 95 layers, d 8192, 64 heads, 8 KV heads (GQA), FFN 22016, batch 4608 sequences, LR 3.2e-4. */
export const DEEPSEEK_67B = reference("DeepSeek LLM 67B", { layers: 95, dModel: 8192, heads: 64, kvHeads: 8, ffn: 22016 }, 4608, 3.2e-4);

export const DEEPSEEK_REFERENCES: readonly ReferenceModel[] = [DEEPSEEK_7B, DEEPSEEK_67B];

/**
 * What the paper's figures annotate (read off the figures, so printed precision only):
 * Figure 3 stars at the Eq. 1 batch for each model's budget, Figure 4 (b)/(c) at the 67B point.
 */
export const DEEPSEEK_FIGURE_ANNOTATIONS = {
  /** Figure 3: "9.2M tokens" (7B), "19.7M tokens" (67B), printed to 0.1M. */
  figure3BatchTokens: { "DeepSeek LLM 7B": 9.2e6, "DeepSeek LLM 67B": 19.7e6 },
  figure3BatchPrecisionTokens: 0.1e6,
  /** Figure 4: C = 4.5e23 → "4.3e11 FLOPs/Token" and "1.04e12 Tokens". */
  figure4: { compute: 4.5e23, modelScale: 4.3e11, tokens: 1.04e12 },
} as const;
