import type { RunPoint } from "../../lib/fit/types";
import { modelScaleExact } from "../../lib/model/count";
import type { ModelShape } from "../../lib/model/shape";
import { createRng } from "../../lib/util/random";
import type { LawLine, LabelledPoint } from "../../lib/figures/common";
import type { IsoflopBudgetFit } from "../../lib/figures/isoflopCurves";

/**
 * Deterministic synthetic inputs for the figure and frame tests, shaped like real sweeps: the truth is the
 * paper's Eq. 1 and Eq. 4 (arXiv 2401.02954), with a quadratic loss bowl around the optimum and seeded noise.
 */

/** Eq. 1: η_opt = 0.3118·C^−0.1250, B_opt = 0.2920·C^0.3271 (tokens). */
export const EQ1_LR = { coefficient: 0.3118, exponent: -0.125 } as const;
export const EQ1_BATCH = { coefficient: 0.292, exponent: 0.3271 } as const;
/** Eq. 4: M_opt = 0.1715·C^0.5243, D_opt = 5.8316·C^0.4757. */
export const EQ4_MODEL = { coefficient: 0.1715, exponent: 0.5243 } as const;
export const EQ4_TOKENS = { coefficient: 5.8316, exponent: 0.4757 } as const;
/** Near-optimal threshold of §3.1: within 0.25 % of the budget's best loss. */
export const NEAR_OPTIMAL_FRACTION = 0.0025;

/** The released 7B and 67B shapes (Table 2, HF configs) and their 2T-token budgets. */
export const SHAPE_7B: ModelShape = { layers: 30, dModel: 4096, heads: 32, kvHeads: 32, ffn: 11008, seq: 4096, vocab: 102400 };
export const SHAPE_67B: ModelShape = { layers: 95, dModel: 8192, heads: 64, kvHeads: 8, ffn: 22016, seq: 4096, vocab: 102400 };
const TRAIN_TOKENS = 2e12;
export const COMPUTE_7B = modelScaleExact(SHAPE_7B) * TRAIN_TOKENS;
export const COMPUTE_67B = modelScaleExact(SHAPE_67B) * TRAIN_TOKENS;

/** Synthetic loss floor curve: bits per byte at the compute-optimal point. */
export const LOSS_LAW = { coefficient: 9.5, exponent: -0.056, irreducible: 0 } as const;
const lossAtOptimum = (c: number) => LOSS_LAW.coefficient * c ** LOSS_LAW.exponent;

/** A (B, η) grid per budget; loss is a bowl in (log₂B, log₂η) around Eq. 1 plus seeded noise. */
export function hyperparamRuns(seed = 1): RunPoint[] {
  const rng = createRng(seed);
  const runs: RunPoint[] = [];
  for (const compute of [1e17, 1e18, 1e19]) {
    const log2B = Math.log2(EQ1_BATCH.coefficient * compute ** EQ1_BATCH.exponent);
    const log2Lr = Math.log2(EQ1_LR.coefficient * compute ** EQ1_LR.exponent);
    const modelScale = EQ4_MODEL.coefficient * compute ** EQ4_MODEL.exponent;
    for (let i = -2; i <= 2; i++) {
      for (let j = -2; j <= 2; j++) {
        const b = Math.round(log2B) + i;
        const lr = Math.round(log2Lr) + j;
        const bowl = 0.004 * (b - log2B) ** 2 + 0.006 * (lr - log2Lr) ** 2;
        const loss = lossAtOptimum(compute) * (1 + bowl + 0.001 * rng.normal());
        runs.push({ compute, modelScale, tokens: compute / modelScale, batchTokens: 2 ** b, learningRate: 2 ** lr, loss, status: "ok", key: `hp-${compute}-${i}-${j}` });
      }
    }
  }
  return runs;
}

/** The runs within NEAR_OPTIMAL_FRACTION of their budget's best loss. */
export function nearOptimal(runs: readonly RunPoint[]): RunPoint[] {
  const best = new Map<number, number>();
  for (const r of runs) best.set(r.compute, Math.min(best.get(r.compute) ?? Infinity, r.loss));
  return runs.filter((r) => r.loss <= (best.get(r.compute) ?? 0) * (1 + NEAR_OPTIMAL_FRACTION));
}

/** A law with `count` paired draws jittered around it (a stand-in for bootstrap draws). */
export function withDraws(law: { coefficient: number; exponent: number }, seed: number, count = 200): LawLine {
  const rng = createRng(seed);
  const coefficient: number[] = [];
  const exponent: number[] = [];
  for (let i = 0; i < count; i++) {
    const de = 0.01 * rng.normal();
    exponent.push(law.exponent + de);
    // Anchor the draws near C = 1e18 so the band widens away from the data, as bootstrap bands do.
    coefficient.push(law.coefficient * 1e18 ** -de * Math.exp(0.03 * rng.normal()));
  }
  return { coefficient: law.coefficient, exponent: law.exponent, draws: { coefficient, exponent } };
}

/** Eq. 1 at the 7B/67B budgets vs their Table 2 settings (9.2M tokens / 4.2e-4, 19.7M / 3.2e-4). */
export const BATCH_TARGETS: LabelledPoint[] = [
  { label: "7B: 9.4M", compute: COMPUTE_7B, value: 2304 * 4096 },
  { label: "67B: 18.9M", compute: COMPUTE_67B, value: 4608 * 4096 },
];
export const LR_TARGETS: LabelledPoint[] = [
  { label: "7B: 4.2e-4", compute: COMPUTE_7B, value: 4.2e-4 },
  { label: "67B: 3.2e-4", compute: COMPUTE_67B, value: 3.2e-4 },
];

/** The paper's eight IsoFLOP budgets. */
export const ISOFLOP_BUDGETS = [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20, 3e20];
/** Curvature of the synthetic IsoFLOP bowl in (ln M)², bits per byte. */
const ISOFLOP_CURVATURE = 0.02;

/** ~9 runs per budget spread around Eq. 4's M_opt, loss a parabola in ln M plus seeded noise. */
export function isoflopRuns(seed = 2): RunPoint[] {
  const rng = createRng(seed);
  return ISOFLOP_BUDGETS.flatMap((compute) => {
    const mOpt = EQ4_MODEL.coefficient * compute ** EQ4_MODEL.exponent;
    return Array.from({ length: 9 }, (_, i) => {
      const modelScale = mOpt * 2 ** ((i - 4) * 0.5);
      const loss = lossAtOptimum(compute) + ISOFLOP_CURVATURE * Math.log(modelScale / mOpt) ** 2 + 0.002 * rng.normal();
      return { compute, modelScale, tokens: compute / modelScale, batchTokens: 2 ** 17, learningRate: 1e-3, loss, status: "ok" };
    });
  });
}

/** The exact parabolas behind isoflopRuns (what a perfect fitter would return); the last one flagged. */
export function isoflopFits(): IsoflopBudgetFit[] {
  return ISOFLOP_BUDGETS.map((compute, i) => {
    const mOpt = EQ4_MODEL.coefficient * compute ** EQ4_MODEL.exponent;
    const x0 = Math.log(mOpt);
    const a = ISOFLOP_CURVATURE;
    const parabola = { a, b: -2 * a * x0, c: a * x0 * x0 + lossAtOptimum(compute) };
    return { compute, parabola, status: i === ISOFLOP_BUDGETS.length - 1 ? "warning" : "ok" };
  });
}
