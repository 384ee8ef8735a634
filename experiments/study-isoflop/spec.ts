/**
 * study-isoflop — stage 2 of the study. Question: where along each IsoFLOP curve is the loss-minimising
 * model scale M, and does M_opt(C) ∝ C^a with a near DeepSeek's 0.5243 (Eq. 4, arXiv 2401.02954 §3.2)?
 * Design: 5 budgets over 1.5 decades × 7 log-spaced M over a 16× span around Eq. 4's M_opt, D = C/M.
 * Batch size and learning rate: `scaling study` replaces "deepseek" below with the laws FITTED in
 * study-hyperparams (results/study-hyperparams/fits/laws.json) unless that fit failed (then Eq. 1)
 * and says so in results/study/stages.json. Run alone (`scaling sweep`), it uses Eq. 1.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "study-isoflop",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16, aspectBand: 4 },
  budgets: [3e10, 7e10, 1.7e11, 4.2e11, 1e12],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: { kind: "isoflop", centre: { law: "deepseek" }, count: 7, span: 16, hyperparams: "deepseek" },
} satisfies SweepSpecInput;
