import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseRunsCsv } from "../../lib/io/csv";
import { runRowWarnings } from "../../lib/fit/rowChecks";

/** A real runs.csv of the committed tiny IsoFLOP sweep. */
const CSV = readFileSync("results/tiny-isoflop/runs.csv", "utf8");

test("runRowWarnings is silent on a real runs.csv, names every exactly repeated row by line, and unknown statuses (issue 18, failure 8)", () => {
  const [header, ...rows] = CSV.trimEnd().split("\n");
  assert.deepEqual(runRowWarnings(parseRunsCsv(CSV)), []);
  // Every row twice (a CSV concatenated with itself, minus the second header).
  const doubled = parseRunsCsv([header, ...rows, ...rows].join("\n"));
  const warnings = runRowWarnings(doubled, "d.csv");
  assert.equal(warnings.length, rows.length);
  assert.match(warnings[0]!, new RegExp(`^d\\.csv: line ${rows.length + 2} repeats? line 2 exactly`));
  // Status "OK" (not a status export writes) is named with its line and the fix.
  const statusAt = header!.split(",").indexOf("status");
  const cells = rows[2]!.split(",");
  cells[statusAt] = "OK";
  const edited = [header, rows[0], rows[1], cells.join(","), ...rows.slice(3)].join("\n");
  assert.deepEqual(runRowWarnings(parseRunsCsv(edited), "e.csv"), ['e.csv:4: status "OK" is not one of ok, diverged, failed: the row is left out of the fit — write "ok"']);
});
