import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCorpus } from "../../lib/data/corpus";
import { DataError } from "../../lib/util/errors";

const tmp = mkdtempSync(join(tmpdir(), "user-corpus-test-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const alice = readFileSync(new URL("../fixtures/carroll-alice-opening.txt", import.meta.url), "utf8");
/** The fixture's paragraphs, each a small document. */
const paragraphs = alice.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== "");

const isDataError = (file: string, what: RegExp) => (e: unknown) => e instanceof DataError && e.message.startsWith(file) && what.test(e.message);

test("loadCorpus(folder of .txt) splits whole files 5% by hash, byte tokens, CRLF cleaned", async () => {
  const dir = join(tmp, "txt");
  mkdirSync(join(dir, "sub"), { recursive: true });
  paragraphs.forEach((p, i) => writeFileSync(join(dir, i % 2 ? "sub" : "", `p${String(i).padStart(2, "0")}.txt`), p.replace(/\n/g, "\r\n") + "\r\n"));
  writeFileSync(join(dir, "ignored.md"), "not a .txt");
  writeFileSync(join(dir, "empty.txt"), "  \n");
  const corpus = await loadCorpus(dir);
  assert.equal(corpus.name, "txt");
  assert.equal(corpus.vocab, 256);
  assert.equal(corpus.manifest.kind, "user");
  const s = corpus.manifest.sources["user"]!;
  assert.equal(s.trainDocs + s.valDocs, paragraphs.length);
  assert.ok(s.valDocs >= 1 && s.valBytes >= 0.05 * (s.trainBytes + s.valBytes));
  assert.deepEqual(corpus.manifest.dropped, [{ source: "user", id: "empty.txt", reason: "empty after cleaning" }]);
  const all = Buffer.from(corpus.train).toString("utf8") + Buffer.from(corpus.val).toString("utf8");
  assert.ok(!all.includes("\r"));
  const again = await loadCorpus(dir);
  assert.deepEqual(again.val, corpus.val);
});

test("loadCorpus(.jsonl) reads the text field, keeps ids stable, and names a bad line", async () => {
  const path = join(tmp, "docs.jsonl");
  writeFileSync(path, paragraphs.map((text, i) => JSON.stringify({ id: `para-${i}`, text, extra: 1 })).join("\n") + "\n\n");
  const corpus = await loadCorpus(path);
  const s = corpus.manifest.sources["user"]!;
  assert.equal(s.trainDocs + s.valDocs, paragraphs.length);
  assert.equal(corpus.train.length + corpus.val.length, s.trainBytes + s.valBytes + 2 * (paragraphs.length - 2), "documents joined by blank lines");
  const bad = join(tmp, "bad.jsonl");
  writeFileSync(bad, `{"text":"ok"}\n{"body":"no text"}\n`);
  await assert.rejects(loadCorpus(bad), isDataError(`${bad}:2`, /no string "text"/));
  writeFileSync(bad, `{"text":"ok"}\nnot json\n`);
  await assert.rejects(loadCorpus(bad), isDataError(`${bad}:2`, /not valid JSON/));
});

test("loadCorpus(x.bin) reads uint8 ids with the last 5% as val, or x.val.bin when present", async () => {
  const path = join(tmp, "bytes.bin");
  const ids = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
  writeFileSync(path, ids);
  const corpus = await loadCorpus(path);
  assert.deepEqual([corpus.train.length, corpus.val.length], [950, 50]);
  assert.deepEqual(corpus.val, ids.subarray(950));
  assert.equal(corpus.bytesPerToken, 1);
  writeFileSync(join(tmp, "bytes.val.bin"), Uint8Array.from([1, 2, 3]));
  const withVal = await loadCorpus(path);
  assert.deepEqual([withVal.train.length, [...withVal.val]], [1000, [1, 2, 3]]);
});

test("loadCorpus(x.u16.bin) reads little-endian uint16 ids with vocab and bytesPerToken from x.json", async () => {
  const path = join(tmp, "bpe.u16.bin");
  const ids = Uint16Array.from({ length: 401 }, (_, i) => (i * 13) % 4096);
  writeFileSync(path, Buffer.from(ids.buffer));
  await assert.rejects(loadCorpus(path), isDataError(join(tmp, "bpe.json"), /need bpe\.json/));
  writeFileSync(join(tmp, "bpe.json"), JSON.stringify({ vocab: 4096, bytesPerToken: 3.67 }));
  const corpus = await loadCorpus(path);
  assert.ok(corpus.train instanceof Uint16Array);
  assert.deepEqual([corpus.vocab, corpus.bytesPerToken, corpus.manifest.dtype], [4096, 3.67, "uint16"]);
  assert.deepEqual([...corpus.train.subarray(0, 3)], [0, 13, 26]);
  assert.equal(corpus.train.length + corpus.val.length, 401);
});

test("loadCorpus(corrupt .bin) names the file and the fault: empty, odd uint16 length, id ≥ vocab", async () => {
  const empty = join(tmp, "empty.bin");
  writeFileSync(empty, new Uint8Array(0));
  await assert.rejects(loadCorpus(empty), isDataError(empty, /empty/));

  const odd = join(tmp, "odd.u16.bin");
  writeFileSync(odd, Uint8Array.from([1, 0, 2]));
  writeFileSync(join(tmp, "odd.json"), JSON.stringify({ vocab: 300, bytesPerToken: 1.5 }));
  await assert.rejects(loadCorpus(odd), isDataError(odd, /odd byte length 3/));

  const big = join(tmp, "big.u16.bin");
  writeFileSync(big, Buffer.from(Uint16Array.from([1, 2, 299, 300, 5]).buffer));
  writeFileSync(join(tmp, "big.json"), JSON.stringify({ vocab: 300, bytesPerToken: 1.5 }));
  await assert.rejects(loadCorpus(big), isDataError(big, /id 300 at position 3 is not below vocab 300/));

  const small = join(tmp, "small.bin");
  writeFileSync(small, Uint8Array.from([1, 2, 200]));
  writeFileSync(join(tmp, "small.json"), JSON.stringify({ vocab: 100, bytesPerToken: 1 }));
  await assert.rejects(loadCorpus(small), isDataError(small, /id 200 at position 2/));
});

test("loadCorpus(missing path) is a DataError on the corpus field listing the choices", async () => {
  await assert.rejects(loadCorpus(join(tmp, "nope.bin")), (e: unknown) => e instanceof DataError && e.message.startsWith("corpus:") && /folder of \.txt/.test(e.message));
});
