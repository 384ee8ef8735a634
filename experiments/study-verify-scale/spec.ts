/**
 * study-verify-scale — stage 5 of the study, the M half of the held-out check (DeepSeek LLM §3.2,
 * Figure 5; arXiv 2401.02954). Question: at the held-out budget 3.2e12, is the FITTED M_opt inside the
 * IsoFLOP curve's near-optimal region, and is the loss there what the fitted L(C) predicts?
 * Design: 5 log-spaced M over an 8× span centred on the predicted M_opt (the middle one is the
 * predicted optimum), D = C/M, B and η predicted. `scaling study` replaces "deepseek" below with the
 * fitted laws unless their fit failed.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "study-verify-scale",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [3.2e12],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: { kind: "isoflop", centre: { law: "deepseek" }, count: 5, span: 8, hyperparams: "deepseek" },
} satisfies SweepSpecInput;
