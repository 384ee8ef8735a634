import { z } from "zod";
import { ConfigError, configErrorFromIssues } from "../util/errors";

/**
 * A decoder-only transformer's shape: LLaMA/DeepSeek block (pre-norm RMSNorm, SwiGLU FFN,
 * rotary attention with grouped KV heads), untied embedding and output head, no biases.
 */
export const modelShapeSchema = z
  .object({
    /** Number of transformer blocks, n_layer. */
    layers: z.number().int().positive(),
    /** Residual width, d_model. */
    dModel: z.number().int().positive(),
    /** Query heads; head size = dModel / heads. */
    heads: z.number().int().positive(),
    /** Key/value heads (grouped-query attention); equals `heads` for multi-head attention. */
    kvHeads: z.number().int().positive(),
    /**
     * SwiGLU inner width. Real models use an integer; the paper's idealised accounting
     * (Eq. 2) uses exactly 8/3·dModel, so the accounting accepts a fractional width.
     */
    ffn: z.number().positive().finite(),
    /** Context length in tokens, l_seq. */
    seq: z.number().int().positive(),
    /** Vocabulary size, n_vocab (256 for the byte tokenizer). */
    vocab: z.number().int().positive(),
  })
  .strict();

export type ModelShape = Readonly<z.infer<typeof modelShapeSchema>>;

/** Validate a shape for accounting: divisibility of heads; throws ConfigError naming the field. */
export function parseShape(value: unknown, root = "shape"): ModelShape {
  const parsed = modelShapeSchema.safeParse(value);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, root);
  const s = parsed.data;
  if (s.dModel % s.heads !== 0) {
    throw new ConfigError(
      `heads (${s.heads}) does not divide d_model (${s.dModel})`,
      `${root}.heads`,
      `choose heads among the divisors of ${s.dModel}, e.g. ${nearestDivisor(s.dModel, s.heads)}`,
    );
  }
  if (s.heads % s.kvHeads !== 0) {
    throw new ConfigError(
      `kv heads (${s.kvHeads}) does not divide heads (${s.heads})`,
      `${root}.kvHeads`,
      `choose kv heads among the divisors of ${s.heads} (equal to heads for multi-head attention)`,
    );
  }
  return Object.freeze(s);
}

/** A shape that can be built: everything above, plus an integer FFN width. */
export function parseBuildableShape(value: unknown, root = "shape"): ModelShape {
  const s = parseShape(value, root);
  if (!Number.isInteger(s.ffn)) {
    throw new ConfigError(`ffn width ${s.ffn} is not an integer`, `${root}.ffn`, "round it, e.g. with swigluWidth(dModel)");
  }
  return s;
}

/** The divisor of n closest to `near` (ties to the smaller), for error hints. */
function nearestDivisor(n: number, near: number): number {
  let best = 1;
  for (let k = 1; k <= n; k++) if (n % k === 0 && Math.abs(k - near) < Math.abs(best - near)) best = k;
  return best;
}

/** SwiGLU width 8/3·d rounded up to a multiple (DeepSeek's released configs round to 256). */
export function swigluWidth(dModel: number, multiple = 1): number {
  return Math.ceil((8 * dModel) / 3 / multiple) * multiple;
}

/** Head size of a shape. */
export function headSize(shape: ModelShape): number {
  return shape.dModel / shape.heads;
}
