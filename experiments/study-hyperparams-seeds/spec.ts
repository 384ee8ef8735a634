/**
 * study-hyperparams-seeds — seeds 1–3 of the study-hyperparams grid (seed 0 is study-hyperparams itself).
 * Question: with the loss's seed spread measured at 0.44–1.2% (study-noise) against the paper's 0.25%
 * near-optimal band (DeepSeek LLM §3.1, arXiv 2401.02954), does averaging 4 seeds per configuration
 * resolve the batch-size exponent that one seed leaves spanning zero?
 * Design: exactly study-hyperparams' 4 budgets × 5 × 5 grid, seeds [1, 2, 3]. Run keys hash only the
 * resolved config, so these records are the ones a seeds-[0, 1, 2, 3] study-hyperparams would train.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";
import hyperparams from "../study-hyperparams/spec";

export default { ...hyperparams, name: "study-hyperparams-seeds", seeds: [1, 2, 3], reuse: [] } satisfies SweepSpecInput;
