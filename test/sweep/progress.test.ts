import { test } from "node:test";
import assert from "node:assert/strict";
import { etaSeconds, formatDuration, formatProgress } from "../../lib/sweep/progress";

test("formatDuration(seconds) prints s, m s and h m", () => {
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(Infinity), "?");
});

test("etaSeconds(state) extrapolates the compute rate so far", () => {
  const state = { runsDone: 1, runsTotal: 4, flopsDone: 1e10, flopsTotal: 4e10, elapsedSeconds: 30, failed: 0, diverged: 0 };
  assert.equal(etaSeconds(state), 90);
  assert.equal(etaSeconds({ ...state, flopsDone: 0 }), undefined);
  const line = formatProgress(state, 8);
  assert.match(line, /^\[##\.{6}\] runs 1\/4 {2}FLOPs 1\.00e\+10\/4\.00e\+10 {2}30s elapsed {2}ETA 1m30s$/);
});
