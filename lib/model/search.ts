import { z } from "zod";
import { ConfigError, configErrorFromIssues } from "../util/errors";
import { modelScaleExact } from "./count";
import { swigluWidth, type ModelShape } from "./shape";

/**
 * Shape search: the valid model shape whose exact M (non-embedding FLOPs per token) is nearest a
 * target, within a family rule. Sweeps use it to turn a target M into a buildable model.
 */

const posInt = z.number().int().positive();

/** A family of shapes: how width, depth, heads and FFN relate. Defaults suit tiny CPU models on bytes. */
export const shapeFamilySchema = z
  .object({
    /** d_model / heads; dModel is a multiple of it. Default 16 (tiny models). */
    headSize: posInt.default(16),
    /** Preferred d_model per layer (d_model / n_layer). Default 32 (e.g. 2 × 64, 4 × 128). */
    aspectRatio: z.number().positive().finite().default(32),
    /** Allowed factor between a shape's d_model/n_layer and `aspectRatio`. Default 2. */
    aspectBand: z.number().min(1).finite().default(2),
    /** Relative M error accepted in favour of a shape nearer `aspectRatio`. Default 0.01. */
    matchTolerance: z.number().min(0).finite().default(0.01),
    /** FFN width = 8/3·d_model rounded up to a multiple of this. Default 8. */
    ffnMultiple: posInt.default(8),
    /** Query heads per KV head (1 = multi-head attention, >1 = grouped-query). Default 1. */
    queriesPerKvHead: posInt.default(1),
    /** Context length in tokens. Default 256. */
    seq: posInt.default(256),
    /** Vocabulary size. Default 256 (the byte tokenizer). */
    vocab: posInt.default(256),
  })
  .strict();

export type ShapeFamilyInput = z.input<typeof shapeFamilySchema>;
export type ShapeFamily = Readonly<z.infer<typeof shapeFamilySchema>>;

/** Tiny CPU models on the byte vocabulary (the schema defaults). */
export const TINY_FAMILY: ShapeFamily = Object.freeze(shapeFamilySchema.parse({}));

/**
 * Shapes like the paper's models (arXiv 2401.02954 Table 2): head size 128, d_model/n_layer ≈ 128
 * (7B: 4096/30 ≈ 137, 67B: 8192/95 ≈ 86), FFN rounded up to 256 (11008, 22016), context 4096,
 * vocabulary 102400. Multi-head attention, as the 7B.
 */
export const PAPER_FAMILY: ShapeFamily = Object.freeze(
  shapeFamilySchema.parse({ headSize: 128, aspectRatio: 128, ffnMultiple: 256, seq: 4096, vocab: 102400 }),
);

/** Named families (`--family`). */
export const NAMED_FAMILIES: Readonly<Record<string, ShapeFamily>> = Object.freeze({ tiny: TINY_FAMILY, paper: PAPER_FAMILY });

/** Largest FFN rounding a family may claim (DeepSeek rounds to 256). */
const MAX_FFN_MULTIPLE = 256;

/**
 * The family a given shape belongs to: its head size, d_model/n_layer, KV grouping, seq and vocab,
 * and the largest power of two (≤ 256) dividing its FFN width (8 when the width is fractional).
 */
export function familyOf(shape: ModelShape): ShapeFamily {
  let ffnMultiple = Number.isInteger(shape.ffn) ? 1 : 8;
  while (Number.isInteger(shape.ffn) && ffnMultiple < MAX_FFN_MULTIPLE && shape.ffn % (2 * ffnMultiple) === 0) ffnMultiple *= 2;
  return parseFamily({
    headSize: shape.dModel / shape.heads,
    aspectRatio: shape.dModel / shape.layers,
    ffnMultiple,
    queriesPerKvHead: shape.heads / shape.kvHeads,
    seq: shape.seq,
    vocab: shape.vocab,
  });
}

export function parseFamily(value: unknown, root = "family"): ShapeFamily {
  const parsed = shapeFamilySchema.safeParse(value);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, root);
  return Object.freeze(parsed.data);
}

export interface ShapeMatch {
  readonly shape: ModelShape;
  /** M of the shape from the exact layer shapes, FLOPs per token. */
  readonly modelScale: number;
  /** The target M asked for. */
  readonly target: number;
  /** modelScale / target − 1. */
  readonly relativeError: number;
}

/** The family's shape for a given depth and width (width a multiple of the family's width step). */
export function familyShape(family: ShapeFamily, layers: number, dModel: number): ModelShape {
  const heads = dModel / family.headSize;
  return Object.freeze({
    layers,
    dModel,
    heads,
    kvHeads: heads / family.queriesPerKvHead,
    ffn: swigluWidth(dModel, family.ffnMultiple),
    seq: family.seq,
    vocab: family.vocab,
  });
}

/** dModel must be a multiple of this so heads and KV groups divide evenly. */
const widthStep = (family: ShapeFamily): number => family.headSize * family.queriesPerKvHead;

const BISECTION_STEPS = 200; // halvings of a bracket [1, 2^k]: far below any integer resolution

/** Continuous depth at which a shape on the family's aspect line has M = target. */
function depthOnAspectLine(family: ShapeFamily, target: number): number {
  const m = (layers: number): number => modelScaleExact({ ...familyShape(family, layers, family.aspectRatio * layers), ffn: (8 * family.aspectRatio * layers) / 3 });
  let lo = 0;
  let hi = 1;
  while (m(hi) < target) hi *= 2;
  for (let i = 0; i < BISECTION_STEPS && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (m(mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** For a depth, the two widths (multiples of the step) whose M bracket the target. */
function bracketingWidths(family: ShapeFamily, layers: number, target: number): number[] {
  const step = widthStep(family);
  const m = (k: number): number => modelScaleExact(familyShape(family, layers, k * step));
  let hi = 1;
  while (m(hi) < target) hi *= 2;
  let lo = Math.max(1, Math.floor(hi / 2));
  if (m(lo) >= target) return [lo * step];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid === lo || mid === hi) break; // beyond 2^53 integers are no longer dense
    if (m(mid) < target) lo = mid;
    else hi = mid;
  }
  return [lo * step, hi * step];
}

/**
 * The valid shape nearest `targetModelScale`, within the family: integer layers ≥ 1, d_model a
 * multiple of headSize·queriesPerKvHead, FFN = swigluWidth(d_model, ffnMultiple). Among shapes whose
 * d_model/n_layer lies within `aspectBand` of `aspectRatio` (all nearby depths when none does, e.g.
 * below the smallest shape), it takes the one nearest `aspectRatio` whose M is within
 * `matchTolerance` of the target, else the one with the least |log M − log target|. Keeping the
 * aspect steady makes the shapes of a sweep look alike instead of wandering across the band.
 */
export function searchShape(targetModelScale: number, family: ShapeFamily = TINY_FAMILY): ShapeMatch {
  if (!(Number.isFinite(targetModelScale) && targetModelScale > 0)) {
    throw new ConfigError(`target model scale ${targetModelScale} is not a positive number`, "modelScale", "pass M in FLOPs per token, e.g. 1e7");
  }
  const depth = depthOnAspectLine(family, targetModelScale);
  const band = family.aspectBand;
  // Along a fixed M, d ∝ L^(-1/2), so d/L ∝ L^(-3/2): an aspect factor `band` is a depth factor band^(2/3) < band.
  const minLayers = Math.max(1, Math.floor(depth / band));
  const maxLayers = Math.ceil(depth * band) + 1;
  const logAspect = (s: ModelShape): number => Math.abs(Math.log(s.dModel / s.layers / family.aspectRatio));
  const logError = (m: number): number => Math.abs(Math.log(m / targetModelScale));

  const candidates: ShapeMatch[] = [];
  for (const layers of candidateDepths(minLayers, maxLayers, depth)) {
    for (const dModel of bracketingWidths(family, layers, targetModelScale)) {
      const shape = familyShape(family, layers, dModel);
      const modelScale = modelScaleExact(shape);
      candidates.push({ shape, modelScale, target: targetModelScale, relativeError: modelScale / targetModelScale - 1 });
    }
  }
  const inBand = candidates.filter((c) => logAspect(c.shape) <= Math.log(band) + 1e-12);
  const pool = inBand.length > 0 ? inBand : candidates;
  const close = pool.filter((c) => Math.abs(c.relativeError) <= family.matchTolerance);
  const best = close.length > 0 ? minBy(close, (c) => logAspect(c.shape)) : minBy(pool, (c) => logError(c.modelScale));
  return Object.freeze({ ...best });
}

/**
 * Most depths tried: every integer depth of the band up to this many (all of them for any M a
 * sweep or the 7B/67B use: the band spans a few dozen), else this many log-spaced across it plus
 * the two around the aspect line's depth, so a search at any finite M (1e300) answers in ms.
 */
export const MAX_DEPTH_CANDIDATES = 256;

function candidateDepths(minLayers: number, maxLayers: number, depth: number): number[] {
  if (maxLayers - minLayers < MAX_DEPTH_CANDIDATES) return Array.from({ length: maxLayers - minLayers + 1 }, (_, i) => minLayers + i);
  const ratio = Math.log(maxLayers / minLayers) / (MAX_DEPTH_CANDIDATES - 1);
  const sampled = Array.from({ length: MAX_DEPTH_CANDIDATES }, (_, i) => Math.round(minLayers * Math.exp(ratio * i)));
  return [...new Set([...sampled, Math.floor(depth), Math.ceil(depth)])].filter((l) => l >= minLayers && l <= maxLayers).sort((a, b) => a - b);
}

function minBy<T>(items: readonly T[], key: (item: T) => number): T {
  let best = items[0] as T;
  for (const item of items) if (key(item) < key(best)) best = item;
  return best;
}
