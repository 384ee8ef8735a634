/**
 * Text cleaning for the embedded corpora (the rules of /work/shared/data.md, "Cleaning rules").
 * Pure string functions; the source readers in `sources.ts` decide which apply to which package.
 */

/** Smallest Gutenberg document in UTF-8 bytes: books are cut at paragraph boundaries into pieces of at least this (data.md). */
export const GUTENBERG_MIN_DOC_BYTES = 20_000;

/**
 * Rules for every source: CRLF and lone CR become LF; control characters other than `\n` and `\t`
 * are removed; trailing spaces and tabs go; runs of blank lines collapse to one; the text is trimmed.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Bytes as UTF-8 when valid, else Latin-1 (one Gutenberg file, shakespeare-caesar, is Latin-1). */
export function decodeUtf8OrLatin1(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("latin1").decode(bytes);
  }
}

/** Hard-wrapped prose to one paragraph per line: lines inside a blank-line-separated block are joined by a space. */
export function unwrapParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((block) => block.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" "))
    .filter((p) => p !== "")
    .join("\n\n");
}

/**
 * A cleaned text cut at paragraph (blank line) boundaries into pieces of at least `minBytes` UTF-8
 * bytes; a short remainder joins the last piece, so no piece but a whole short text is under the minimum.
 */
export function chunkParagraphs(text: string, minBytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const paragraph of text.split("\n\n")) {
    current.push(paragraph);
    bytes += Buffer.byteLength(paragraph, "utf8") + 2;
    if (bytes >= minBytes) {
      chunks.push(current.join("\n\n"));
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) {
    if (chunks.length === 0) chunks.push(current.join("\n\n"));
    else chunks[chunks.length - 1] += "\n\n" + current.join("\n\n");
  }
  return chunks;
}

/** Brown tokens that attach to the previous token (no space before). */
const CLOSING = new Set([".", ",", ";", ":", "?", "!", ")", "]", "}", "'", '"c', "'s", "n't"]);
/** Brown tokens that attach to the next token (no space after). */
const OPENING = new Set(["(", "[", "{", '"o', "`"]);

/**
 * One Brown sample (form C, `word/TAG` tokens) as plain text. Tags are cut at the last `/` (so
 * `1/2/cd` gives `1/2`); blank-line blocks are paragraphs, their lines (sentences) joined by a space;
 * `` `` `` and `''` become `"`; no space after an opening bracket or quote nor before closing
 * punctuation; `--` is glued to both neighbours; `'' ,` becomes `,"`; a doubled period (`Jr. .`) collapses.
 */
export function detokenizeBrown(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((block) => detokenizeParagraph(block.split(/\s+/).filter((t) => t !== "").map(stripTag)))
    .filter((p) => p !== "")
    .join("\n\n");
}

function stripTag(token: string): string {
  const slash = token.lastIndexOf("/");
  return slash > 0 ? token.slice(0, slash) : token;
}

function detokenizeParagraph(words: string[]): string {
  // Quotes become marked tokens ('"o' opening, '"c' closing) so spacing rules can tell them apart.
  const tokens = words.map((w) => (w === "``" ? '"o' : w === "''" ? '"c' : w));
  // `'' ,` → `, ''` so the comma lands inside the quote (",\"").
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i] === '"c' && (tokens[i + 1] === "," || tokens[i + 1] === ".")) {
      tokens[i] = tokens[i + 1]!;
      tokens[i + 1] = '"c';
    }
  }
  let out = "";
  let glueNext = true;
  let previous = "";
  for (const token of tokens) {
    if (token === "." && previous.endsWith(".")) continue; // `Jr. .` → `Jr.`
    const text = token === '"o' || token === '"c' ? '"' : token;
    const glue = glueNext || CLOSING.has(token) || token === "--";
    out += (glue ? "" : " ") + text;
    glueNext = OPENING.has(token) || token === "--";
    previous = text;
  }
  return out;
}
