import type { RunPoint } from "../../lib/fit/types";

/**
 * Synthetic sweeps with known laws (no training): loss is an exact quadratic in the log of the
 * swept quantity around its known optimum, so the near-optimal cloud and the parabola vertices sit
 * exactly on the true power laws.
 */

/** Known laws of the synthetic world: y = coefficient · C^exponent. */
export const TRUE_LAWS = {
  batch: { coefficient: 0.292, exponent: 0.3271 },
  learningRate: { coefficient: 0.3118, exponent: -0.125 },
  modelScale: { coefficient: 0.1715, exponent: 0.5243 },
} as const;

/** L(C) = E + A·C^(−α) of the per-budget minima. */
export const TRUE_LOSS = { E: 0.6, A: 40, alpha: 0.08 } as const;

export const BUDGETS = [1e17, 3e17, 1e18, 3e18, 1e19] as const;

const at = (law: { coefficient: number; exponent: number }, c: number): number => law.coefficient * c ** law.exponent;
export const lossAt = (c: number): number => TRUE_LOSS.E + TRUE_LOSS.A * c ** -TRUE_LOSS.alpha;

/** A 5×5 (B, η) grid per budget at factors 2^−2…2^2 of the true optimum; loss rises 2 % per (ln 2)² off it. */
export function hyperparamRuns(budgets: readonly number[] = BUDGETS): RunPoint[] {
  const factors = [-2, -1, 0, 1, 2];
  return budgets.flatMap((c, i) =>
    factors.flatMap((fb) =>
      factors.map((fl) => {
        const m = at(TRUE_LAWS.modelScale, c);
        const du = fb * Math.LN2, dv = fl * Math.LN2;
        return {
          compute: c,
          modelScale: m,
          tokens: c / m,
          batchTokens: at(TRUE_LAWS.batch, c) * 2 ** fb,
          learningRate: at(TRUE_LAWS.learningRate, c) * 2 ** fl,
          loss: lossAt(c) * (1 + 0.02 * (du * du + dv * dv + 0.5 * du * dv)),
          status: "ok",
          key: `hp-${i}-${fb}-${fl}`,
        };
      }),
    ),
  );
}

/**
 * Seven model scales per budget, off-centre (1/8…4 × M_opt), loss an exact parabola in ln M with
 * its vertex at the true M_opt and its minimum on L(C).
 */
export function isoflopRuns(budgets: readonly number[] = BUDGETS): RunPoint[] {
  const factors = [1 / 8, 1 / 4, 1 / 2, 1, 1.5, 2, 4];
  return budgets.flatMap((c, i) =>
    factors.map((f, j) => {
      const m = at(TRUE_LAWS.modelScale, c) * f;
      const x = Math.log(f);
      return {
        compute: c,
        modelScale: m,
        tokens: c / m,
        batchTokens: at(TRUE_LAWS.batch, c),
        learningRate: at(TRUE_LAWS.learningRate, c),
        loss: lossAt(c) + 0.03 * x * x,
        status: "ok",
        key: `iso-${i}-${j}`,
      };
    }),
  );
}
