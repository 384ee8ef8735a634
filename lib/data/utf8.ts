/**
 * UTF-8 decoding that counts what it replaced: a user corpus that is not UTF-8 (Latin-1, UTF-16, a
 * binary file) would otherwise turn into U+FFFD characters without a word, and train on them.
 */

const REPLACEMENT = "\uFFFD";
/** U+FFFD's UTF-8 bytes, EF BF BD. */
const REPLACEMENT_BYTES = 3;

function countLiteralReplacements(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  return n;
}

/** `bytes` as text (invalid sequences become U+FFFD, as TextDecoder does) and how many input bytes were invalid. */
export function decodeUtf8(bytes: Uint8Array): { text: string; replacedBytes: number } {
  const text = new TextDecoder("utf-8").decode(bytes);
  let inText = 0;
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) inText++;
  const added = inText - countLiteralReplacements(bytes);
  if (added === 0) return { text, replacedBytes: 0 };
  // Valid bytes re-encode to themselves; each added U+FFFD stands for ≥ 1 invalid input byte.
  const validBytes = Buffer.byteLength(text, "utf8") - REPLACEMENT_BYTES * added;
  return { text, replacedBytes: bytes.length - validBytes };
}

/** Where the warning goes; tests replace it. */
let warn = (line: string): void => void process.stderr.write(`${line}\n`);

/** Replace the warning sink; returns the previous one. */
export function onCorpusWarning(sink: (line: string) => void): (line: string) => void {
  const previous = warn;
  warn = sink;
  return previous;
}

/** Decode a corpus file, warning once with the count of bytes that were not UTF-8. */
export function decodeCorpusFile(bytes: Uint8Array, file: string): string {
  const { text, replacedBytes } = decodeUtf8(bytes);
  if (replacedBytes > 0) {
    warn(`scaling: corpus ${file}: ${replacedBytes} of ${bytes.length} bytes are not UTF-8 and were replaced by U+FFFD — re-encode it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`);
  }
  return text;
}
