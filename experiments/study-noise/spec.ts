/**
 * study-noise — stage 6 of the study. Question: how far apart do runs land that differ only in their
 * seed (init and batch order)? DeepSeek LLM §3.1 (arXiv 2401.02954) calls a run near-optimal within
 * 0.25% of its budget's best loss; with single-seed runs that band is only meaningful if the seed
 * spread is smaller. Design: at each stage-1 budget, one cell of the study-hyperparams grid (Eq. 4's
 * M_opt, B at 0.35× and η at 0.71× Eq. 1, both inside stage 1's near-optimal neighbourhood) × 5 seeds.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";
import hyperparams from "../study-hyperparams/spec";

export default {
  ...hyperparams,
  name: "study-noise",
  seeds: [0, 1, 2, 3, 4],
  design: {
    kind: "hyperparams",
    modelScale: { law: "deepseek" },
    batchTokens: { law: "deepseek", factors: [0.35] },
    learningRate: { law: "deepseek", factors: [0.71] },
  },
} satisfies SweepSpecInput;
