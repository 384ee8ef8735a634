import { test } from "node:test";
import assert from "node:assert/strict";
import { byteTokenizer, BYTE_VOCAB } from "../../lib/data/tokenizer";
import { DataError } from "../../lib/util/errors";

test("byteTokenizer.encode(text) round-trips non-ASCII text exactly through decode", () => {
  const text = "café — “quoted” ½ 東京 🚀\tend\n";
  const ids = byteTokenizer.encode(text);
  // 'é' is 2 UTF-8 bytes, '—' 3, '“' 3, '½' 2, each CJK character 3, the rocket 4.
  assert.equal(ids.length, Buffer.byteLength(text, "utf8"));
  assert.deepEqual([...ids.subarray(0, 5)], [0x63, 0x61, 0x66, 0xc3, 0xa9]);
  assert.equal(byteTokenizer.decode(ids), text);
  assert.equal(byteTokenizer.decode(Array.from(ids)), text);
  assert.equal(byteTokenizer.decode(Int32Array.from(ids)), text);
});

test("byteTokenizer has 256 ids and one byte per token", () => {
  assert.equal(byteTokenizer.vocab, BYTE_VOCAB);
  assert.equal(BYTE_VOCAB, 256);
  assert.equal(byteTokenizer.bytesPerToken, 1);
});

test("byteTokenizer.decode(ids) replaces a cut multi-byte character and rejects ids outside 0–255", () => {
  const ids = byteTokenizer.encode("é");
  assert.equal(byteTokenizer.decode(ids.subarray(0, 1)), "\uFFFD");
  assert.throws(() => byteTokenizer.decode([65, 256]), (e: unknown) => e instanceof DataError && /position 1/.test(e.message));
});
