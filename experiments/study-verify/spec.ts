/**
 * study-verify — stage 4 of the study: the held-out check of DeepSeek LLM §3 (arXiv 2401.02954 §3.1 at
 * 1e20 FLOPs, Figure 5). Question: at a budget 3.2× above the largest fitted IsoFLOP budget (1e12), do the
 * FITTED laws' B_opt and η_opt land in the budget's near-optimal band?
 * Design: one model at the predicted M_opt; a 3 × 5 grid of B and η at √2 steps around the predicted
 * (B, η); factor 1 × 1 is the predicted optimum itself. `scaling study` replaces "deepseek" below with
 * the fitted laws (B, η from study-hyperparams; M from study-isoflop) unless that fit failed.
 * Its twin study-verify-scale varies M around the predicted M_opt at the predicted B and η.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "study-verify",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [3.2e12],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: {
    kind: "hyperparams",
    modelScale: { law: "deepseek" },
    batchTokens: { law: "deepseek", factors: [0.71, 1, 1.41] },
    learningRate: { law: "deepseek", factors: [0.5, 0.71, 1, 1.41, 2] },
  },
} satisfies SweepSpecInput;
