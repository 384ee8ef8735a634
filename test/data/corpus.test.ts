import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCorpus, defaultDataDir } from "../../lib/data/corpus";
import { buildEmbeddedCorpus } from "../../lib/data/build";
import { splitKey, VAL_FRACTION } from "../../lib/data/split";
import { DataError } from "../../lib/util/errors";

/** Sizes data.md measured with its own (unpublished) builder; ours re-implements the same rules. */
const DATA_MD_BYTES = {
  "en-prose": { train: 26_928_405, val: 1_524_914 },
  "ts-code": { train: 23_706_708, val: 1_643_259 },
} as const;
/** Relative agreement with data.md: same sources and rules, but chunking/detokenising details are not published. */
const DATA_MD_REL_TOL = 0.005;
/** Largest val share of a source: the last document moved can be large (data.md saw 5.1–7.0%). */
const MAX_VAL_SHARE = 0.08;

const tmp = mkdtempSync(join(tmpdir(), "corpus-test-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

interface IndexRow {
  source: string;
  id: string;
  split: "train" | "val";
  offset: number;
  bytes: number;
}

test("loadCorpus('en-prose') builds a deterministic, document-disjoint, sha256-ordered split close to data.md", async () => {
  const dataDir = join(tmp, "a");
  const reasons: string[] = [];
  const corpus = await loadCorpus("en-prose", { dataDir, onBuild: (r) => reasons.push(r) });
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /not built yet/);
  assert.equal(corpus.vocab, 256);
  assert.equal(corpus.bytesPerToken, 1);
  assert.ok(corpus.train instanceof Uint8Array);
  for (const split of ["train", "val"] as const) {
    const rel = Math.abs(corpus[split].length - DATA_MD_BYTES["en-prose"][split]) / DATA_MD_BYTES["en-prose"][split];
    assert.ok(rel < DATA_MD_REL_TOL, `${split}: ${corpus[split].length} bytes, ${(rel * 100).toFixed(3)}% from data.md`);
  }

  // Determinism: a second, independent build is byte-identical.
  const again = buildEmbeddedCorpus("en-prose", join(tmp, "b"));
  assert.deepEqual(again.files, corpus.manifest.files);

  // Disjoint by document, and each source's val set is the head of its sha256 order.
  const rows = readFileSync(join(dataDir, "en-prose", "documents.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as IndexRow);
  const train = new Set(rows.filter((r) => r.split === "train").map((r) => `${r.source}/${r.id}`));
  const val = rows.filter((r) => r.split === "val");
  assert.ok(val.length > 0 && val.every((r) => !train.has(`${r.source}/${r.id}`)));
  assert.equal(train.size + val.length, rows.length, "ids are unique");
  for (const source of ["gutenberg", "sotu", "brown"]) {
    const mine = rows.filter((r) => r.source === source).sort((x, y) => (splitKey(x) < splitKey(y) ? -1 : 1));
    const nVal = mine.filter((r) => r.split === "val").length;
    assert.ok(mine.slice(0, nVal).every((r) => r.split === "val"), `${source}: val is a prefix of the sha256 order`);
    const s = corpus.manifest.sources[source]!;
    const share = s.valBytes / (s.valBytes + s.trainBytes);
    assert.ok(share >= VAL_FRACTION && share < MAX_VAL_SHARE, `${source}: val share ${share}`);
  }
  // The index points at the documents: a val document's bytes sit between separators in val.txt.
  const first = val[0]!;
  const text = Buffer.from(corpus.val.subarray(first.offset, first.offset + first.bytes)).toString("utf8");
  assert.ok(text.length > 0 && !text.startsWith("\n") && !text.endsWith("\n"));

  // A second load verifies the manifest and does not rebuild.
  const reload = await loadCorpus("en-prose", { dataDir, onBuild: (r) => reasons.push(r) });
  assert.equal(reasons.length, 1);
  assert.deepEqual(reload.val, corpus.val);
});

test("loadCorpus('ts-code') from concurrent processes builds once into place; a tampered file triggers a rebuild", async () => {
  const dataDir = join(tmp, "c");
  const script = `import { loadCorpus } from ${JSON.stringify(new URL("../../lib/data/corpus.ts", import.meta.url).pathname)};
const c = await loadCorpus("ts-code", { dataDir: ${JSON.stringify(dataDir)} });
console.log(c.manifest.files["train.txt"].sha256, c.train.length);`;
  const run = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child exited ${code}`))));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a, b);
  assert.deepEqual(readdirSync(dataDir), ["ts-code"], "no temp or stale folders left behind");

  const corpus = await loadCorpus("ts-code", { dataDir, onBuild: () => assert.fail("should verify, not rebuild") });
  assert.equal(`${corpus.manifest.files["train.txt"]!.sha256} ${corpus.train.length}`, a);
  for (const split of ["train", "val"] as const) {
    const rel = Math.abs(corpus[split].length - DATA_MD_BYTES["ts-code"][split]) / DATA_MD_BYTES["ts-code"][split];
    assert.ok(rel < DATA_MD_REL_TOL, `${split}: ${corpus[split].length} bytes, ${(rel * 100).toFixed(3)}% from data.md`);
  }

  // Flip one byte of val.txt: the load must notice, rebuild, and return the original bytes.
  const valPath = join(dataDir, "ts-code", "val.txt");
  const bytes = readFileSync(valPath);
  bytes[1000] = bytes[1000]! ^ 1;
  writeFileSync(valPath, bytes);
  const reasons: string[] = [];
  const rebuilt = await loadCorpus("ts-code", { dataDir, onBuild: (r) => reasons.push(r) });
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /val\.txt does not match its manifest hash/);
  assert.deepEqual(rebuilt.val, corpus.val);
});

test("loadCorpus(unknown name) throws DataError naming the corpus field and the choices", async () => {
  await assert.rejects(loadCorpus("en-poetry", { dataDir: tmp }), (e: unknown) => e instanceof DataError && e.message.startsWith("corpus:") && /en-prose, ts-code/.test(e.message));
});

test("defaultDataDir() is data/ in the project root", () => {
  assert.equal(defaultDataDir(), new URL("../../data", import.meta.url).pathname);
});
