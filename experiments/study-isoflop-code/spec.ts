/**
 * study-isoflop-code — stage 3 of the study: the IsoFLOP design of study-isoflop on source code.
 * Question (DeepSeek §3.3, Table 4: the allocation exponent depends on the data): on code, where along
 * each IsoFLOP curve is the loss-minimising M, and how does a compare with prose and with 0.5243 (Eq. 4)?
 * Design: 5 budgets over 1.5 decades × 7 log-spaced M over a 16× span around Eq. 4's M_opt, D = C/M.
 * Batch size and learning rate: `scaling study` replaces "deepseek" below with the laws FITTED in
 * study-hyperparams (results/study-hyperparams/fits/laws.json) unless that fit failed (then Eq. 1)
 * and says so in results/study/stages.json. Run alone (`scaling sweep`), it uses Eq. 1.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";
import prose from "../study-isoflop/spec";

// The prose design exactly, on the code corpus: only the data differs between the two stages.
export default { ...prose, name: "study-isoflop-code", corpus: "ts-code" } satisfies SweepSpecInput;
