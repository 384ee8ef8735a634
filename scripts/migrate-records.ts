// Rewrites every committed run record (results/**/runs/*.json and results/**/superseded/*.json) in the
// store's compact form, once: one line of JSON, the per-step curve thinned to STORED_CURVE_POINTS
// (lib/sweep/record.ts), every other field and its key order unchanged, file names (run keys) unchanged.
// Idempotent: a record already compact is left as it is. Usage: node --import tsx scripts/migrate-records.ts [results]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { runRecordSchema, thinCurve, type RunRecord } from "../lib/sweep/record";
import { formatRecord, writeFileAtomic } from "../lib/sweep/store";

const root = process.argv[2] ?? "results";

/** Record files: the JSON files of every `runs/` and `superseded/` folder below the root. */
function recordFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) return [];
    const here = name === "runs" || name === "superseded" ? readdirSync(path).filter((f) => f.endsWith(".json") && !f.startsWith("tmp-")).map((f) => join(path, f)) : [];
    return [...here, ...recordFiles(path)];
  });
}

let rewritten = 0;
let bytesBefore = 0;
let bytesAfter = 0;
const files = recordFiles(root);
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const value = JSON.parse(text) as RunRecord;
  // Validated as the store reads it; written as parsed from the file (no field dropped or reordered).
  const check = runRecordSchema.safeParse(value);
  if (!check.success) throw new Error(`${file}: not a valid record (${check.error.issues[0]?.path.join(".")}: ${check.error.issues[0]?.message}); nothing after it was migrated`);
  const compact = formatRecord({ ...value, curve: thinCurve(value.curve) });
  bytesBefore += Buffer.byteLength(text);
  bytesAfter += Buffer.byteLength(compact);
  if (compact === text) continue;
  writeFileAtomic(file, compact);
  rewritten++;
}
console.log(`${files.length} records, ${rewritten} rewritten; ${(bytesBefore / 1e6).toFixed(1)} MB → ${(bytesAfter / 1e6).toFixed(1)} MB`);
