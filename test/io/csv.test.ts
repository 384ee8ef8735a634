import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { RunPoint } from "../../lib/fit/types";
import { formatCsv, parseCsvRecords, parseRunsCsv, readRunsCsv } from "../../lib/io/csv";
import { DataError } from "../../lib/util/errors";

const HEADER = "compute,model_scale,tokens,batch_tokens,learning_rate,loss";

/** A DataError whose path is exactly `path` and whose message matches `pattern`. */
const dataError = (path: string, pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof DataError, String(e));
  assert.equal(e.path, path);
  assert.match(e.message, pattern);
  assert.doesNotMatch(e.message, /\n/);
  return true;
};

test("parseRunsCsv(text) reads the columns into RunPoints, with extra columns, quotes, CRLF and status", () => {
  const text = [
    `note,${HEADER},status,key`,
    `"a, quoted ""note""",1e17,1.4e8,714285714.3,106000,0.0023,1.38,ok,k1`,
    `"multi\nline",1e17,2e8,5e8,106000,0.0023,1.40,,k2`,
    `x,3e17,2.5e8,1.2e9,152000,0.002,NaN,diverged,`,
  ].join("\r\n");
  const points = parseRunsCsv(text, "runs.csv");
  assert.equal(points.length, 3);
  assert.deepEqual(points[0], { compute: 1e17, modelScale: 1.4e8, tokens: 714285714.3, batchTokens: 106000, learningRate: 0.0023, loss: 1.38, status: "ok", key: "k1" });
  assert.equal(points[1]!.status, "ok", "an empty status is ok");
  assert.equal(points[2]!.status, "diverged");
  assert.ok(Number.isNaN(points[2]!.loss), "a diverged run keeps its status with no loss");
  assert.equal(points[2]!.key, undefined);
});

test("parseCsvRecords(text) reports the line each record starts on across quoted newlines", () => {
  const records = parseCsvRecords('a,b\n"x\ny",1\n\n2,3\n');
  assert.deepEqual(records.map((r) => r.line), [1, 2, 5]);
  assert.deepEqual(records[1]!.cells, ["x\ny", "1"]);
});

test("parseRunsCsv errors name the file, line and column", () => {
  assert.throws(() => parseRunsCsv("compute,model_scale,tokens,batch_tokens,learning_rate\n1,1,1,1,1\n", "r.csv"), dataError("r.csv:1", /missing column "loss"/));
  assert.throws(() => parseRunsCsv(`${HEADER}\n1e17,1e8,1e9,1e5,1e-3,1.2\n1e17,abc,1e9,1e5,1e-3,1.2\n`, "r.csv"), dataError("r.csv:3:2", /model_scale "abc" is not a finite number/));
  assert.throws(() => parseRunsCsv(`${HEADER}\n-1e17,1e8,1e9,1e5,1e-3,1.2\n`, "r.csv"), dataError("r.csv:2:1", /compute -1e17 is not positive/));
  assert.throws(() => parseRunsCsv(`${HEADER}\n0,1e8,1e9,1e5,1e-3,1.2\n`, "r.csv"), dataError("r.csv:2:1", /not positive/));
  assert.throws(() => parseRunsCsv(`${HEADER}\n1e17,1e8,1e9,1e5,1e-3,\n`, "r.csv"), dataError("r.csv:2:6", /loss "" is not a finite number/), "an ok run needs a loss");
  assert.throws(() => parseRunsCsv(`${HEADER}\n1e17,1e8,1e9,1e5,1e-3\n`, "r.csv"), dataError("r.csv:2", /5 fields where the header has 6/));
  assert.throws(() => parseRunsCsv(`${HEADER}\n1e17,1e8,"1e9,1e5,1e-3,1\n`, "r.csv"), dataError("r.csv:2", /never closed/));
  assert.throws(() => parseRunsCsv("", "r.csv"), dataError("r.csv", /empty/));
});

test("formatCsv(rows, columns) round-trips through parseRunsCsv, quoting where needed", () => {
  const rows: RunPoint[] = [
    { compute: 1e17, modelScale: 141615360, tokens: 1e17 / 141615360, batchTokens: 106189.8, learningRate: 0.0023381701446985974, loss: 1.3812345678901234, status: "ok", key: "a,b" },
    { compute: 3e17, modelScale: 2.5e8, tokens: 1.2e9, batchTokens: 152000, learningRate: 0.002, loss: Number.NaN, status: "diverged", key: 'say "hi"' },
  ];
  const columns = ["compute", "modelScale", "tokens", "batchTokens", "learningRate", "loss", "status", "key"];
  const text = formatCsv(rows, columns).replace(/^[^\n]*/, `${HEADER},status,key`);
  const back = parseRunsCsv(text);
  assert.deepEqual(back[0], rows[0]);
  assert.equal(back[1]!.key, 'say "hi"');
  assert.ok(Number.isNaN(back[1]!.loss));
  assert.equal(formatCsv([{ a: 1, b: undefined }], ["a", "b"]), "a,b\n1,\n");
});

test("readRunsCsv(path) reads a real file and names a missing one", () => {
  const dir = mkdtempSync(join(tmpdir(), "csv-"));
  const file = join(dir, "runs.csv");
  writeFileSync(file, `${HEADER}\n1e17,1e8,1e9,1e5,1e-3,1.2\n`);
  assert.equal(readRunsCsv(file)[0]!.loss, 1.2);
  assert.throws(() => readRunsCsv(join(dir, "nope.csv")), dataError(join(dir, "nope.csv"), /ENOENT/));
});
