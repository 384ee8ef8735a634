import type { RunPoint } from "../fit/types";
import { toFrame, type DataFrame } from "./frame";

/** Column order of `runsFrame`: the `RunPoint` contract (units in the field names' docs). */
export const RUN_COLUMNS = ["key", "compute", "modelScale", "tokens", "batchTokens", "learningRate", "loss", "status"] as const;

/** One row per run; `key` is "" for runs without one. */
export function runsFrame(points: readonly RunPoint[]): DataFrame {
  return toFrame(
    RUN_COLUMNS,
    points.map((p) => [p.key ?? "", p.compute, p.modelScale, p.tokens, p.batchTokens, p.learningRate, p.loss, p.status]),
  );
}
