import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeUtf8, onCorpusWarning } from "../../lib/data/utf8";
import { checkCorpus } from "../../lib/data/corpus";
import { DataError } from "../../lib/util/errors";

test("decodeUtf8 counts the input bytes it replaced, not the U+FFFD it produced, and not a literal U+FFFD", () => {
  assert.deepEqual(decodeUtf8(Buffer.from("plain ascii, café", "utf8")), { text: "plain ascii, café", replacedBytes: 0 });
  assert.equal(decodeUtf8(Buffer.from("a \uFFFD literal", "utf8")).replacedBytes, 0);
  // Latin-1 "café naïve": é and ï are one invalid byte each.
  assert.equal(decodeUtf8(Buffer.from("café naïve", "latin1")).replacedBytes, 2);
  // A truncated 3-byte sequence (E2 82, of €) is one replacement for two bytes; a lone continuation byte is one for one.
  assert.equal(decodeUtf8(Uint8Array.from([0x61, 0xe2, 0x82, 0x62, 0x80, 0x63])).replacedBytes, 3);
  assert.equal(decodeUtf8(Uint8Array.from([0xef, 0xbf, 0xbd, 0xff])).replacedBytes, 1);
});

test("checkCorpus warns once per non-UTF-8 file with the count of replaced bytes, and refuses an unknown corpus at its field", () => {
  const dir = mkdtempSync(join(tmpdir(), "utf8-test-"));
  const warned: string[] = [];
  const previous = onCorpusWarning((line) => warned.push(line));
  try {
    writeFileSync(join(dir, "a.txt"), Buffer.from("Ceci est un texte en Latin-1: déjà vu, où, ça.\n\n".repeat(40), "latin1"));
    writeFileSync(join(dir, "b.txt"), "A second document, valid UTF-8: café.\n\n".repeat(40));
    checkCorpus(dir);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /a\.txt: 160 of \d+ bytes are not UTF-8 and were replaced by U\+FFFD/);
    assert.throws(() => checkCorpus("no-such-corpus", "spec.corpus"), (e: unknown) => e instanceof DataError && e.message.startsWith('spec.corpus: unknown corpus "no-such-corpus"'));
    checkCorpus("en-prose");
  } finally {
    onCorpusWarning(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});
