import { existsSync, readFileSync, statSync } from "node:fs";
import { endianness } from "node:os";
import { basename, relative, sep } from "node:path";
import { z } from "zod";
import { DataError } from "../util/errors";
import { DOCUMENT_SEPARATOR } from "./build";
import { cleanText } from "./clean";
import { CORPUS_BUILDER_VERSION, fileEntry, type CorpusManifest, type FileEntry } from "./manifest";
import { VAL_FRACTION, splitDocuments } from "./split";
import { walkFiles, type Document, type Dropped } from "./sources";
import { decodeCorpusFile } from "./utf8";
import { BYTE_BYTES_PER_TOKEN, BYTE_VOCAB } from "./tokenizer";
import type { Corpus } from "./corpus";

/**
 * User corpora, read in place (nothing is written):
 *
 * - **a folder**: every `.txt` below it is one document (id = relative path), cleaned like the
 *   embedded corpora and split 5% by the sha256 rule of split.ts; byte tokens (vocab 256, 1 byte/token).
 * - **a `.jsonl`**: one JSON object per line with a string `text` (optional `id`, default the line
 *   number, and `source`, default `user`, which stratifies the split); same cleaning, split and tokens.
 * - **a `.bin`**: raw token ids. `x.bin` holds uint8 ids (byte tokens unless `x.json` says otherwise);
 *   `x.u16.bin` holds little-endian uint16 ids and needs `x.json` = `{"vocab": V, "bytesPerToken": b}`
 *   (b = UTF-8 bytes of text per token, for bits per byte). Validation comes from `x.val.bin` /
 *   `x.val.u16.bin` when present, else it is the last 5% of the ids (a contiguous tail).
 */

const binMetaSchema = z
  .object({
    /** Vocabulary size; every id must be below it. */
    vocab: z.number().int().positive().max(65536),
    /** UTF-8 bytes of text per token (1 for byte ids). */
    bytesPerToken: z.number().positive().finite(),
  })
  .strict();

const jsonlLineSchema = z.object({ text: z.string(), id: z.union([z.string(), z.number()]).optional(), source: z.string().min(1).optional() }).passthrough();

export function loadUserCorpus(path: string): Corpus {
  if (statSync(path).isDirectory()) return fromDocuments(path, readTxtFolder(path));
  if (path.endsWith(".jsonl")) return fromDocuments(path, readJsonl(path));
  if (path.endsWith(".bin")) return readBin(path);
  throw new DataError(`${path} is not a folder, .jsonl or .bin`, "corpus", "give a folder of .txt files, a .jsonl with a \"text\" field, or a .bin/.u16.bin of token ids");
}

interface Read {
  documents: Document[];
  dropped: Dropped[];
  files: Record<string, FileEntry>;
}

function readTxtFolder(root: string): Read {
  const read: Read = { documents: [], dropped: [], files: {} };
  for (const file of walkFiles(root).filter((p) => p.endsWith(".txt"))) {
    const id = relative(root, file).split(sep).join("/");
    const bytes = readFileSync(file);
    read.files[id] = fileEntry(bytes);
    const text = cleanText(decodeCorpusFile(bytes, file));
    if (text === "") read.dropped.push({ source: "user", id, reason: "empty after cleaning" });
    else read.documents.push({ source: "user", id, text });
  }
  if (read.documents.length === 0) throw new DataError(`folder ${root} holds no non-empty .txt files`, "corpus", "add .txt documents or point at another corpus");
  return read;
}

function readJsonl(path: string): Read {
  const bytes = readFileSync(path);
  const read: Read = { documents: [], dropped: [], files: { [basename(path)]: fileEntry(bytes) } };
  const lines = decodeCorpusFile(bytes, path).split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DataError(`line ${i + 1} is not valid JSON`, `${path}:${i + 1}`, "write one JSON object per line");
    }
    const parsed = jsonlLineSchema.safeParse(value);
    if (!parsed.success) throw new DataError(`line ${i + 1} has no string "text" field`, `${path}:${i + 1}`, 'give every line a "text" string');
    const source = parsed.data.source ?? "user";
    const id = parsed.data.id === undefined ? `line-${i + 1}` : String(parsed.data.id);
    const text = cleanText(parsed.data.text);
    if (text === "") read.dropped.push({ source, id, reason: "empty after cleaning" });
    else read.documents.push({ source, id, text });
  });
  if (read.documents.length === 0) throw new DataError(`${path} holds no non-empty "text" lines`, "corpus", "add documents to the file");
  return read;
}

function fromDocuments(path: string, read: Read): Corpus {
  const split = splitDocuments(read.documents, VAL_FRACTION);
  if (split.train.length === 0) {
    throw new DataError(`${path}: the 5% validation holdout took every document (${read.documents.length})`, "corpus", "give at least two documents, or several per source");
  }
  const join = (docs: Document[]): Uint8Array => new TextEncoder().encode(docs.map((d) => d.text).join(DOCUMENT_SEPARATOR));
  const train = join(split.train);
  const val = join(split.val);
  return corpusOf(path, train, val, {
    dtype: "uint8",
    vocab: BYTE_VOCAB,
    bytesPerToken: BYTE_BYTES_PER_TOKEN,
    valFraction: VAL_FRACTION,
    sources: split.stats,
    dropped: read.dropped,
    files: read.files,
  });
}

function readBin(path: string): Corpus {
  const uint16 = path.endsWith(".u16.bin");
  const stem = path.slice(0, -(uint16 ? ".u16.bin" : ".bin").length);
  const metaPath = `${stem}.json`;
  let meta: z.infer<typeof binMetaSchema> = { vocab: BYTE_VOCAB, bytesPerToken: BYTE_BYTES_PER_TOKEN };
  if (existsSync(metaPath)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(metaPath, "utf8"));
    } catch {
      throw new DataError("is not valid JSON", metaPath, 'write {"vocab": V, "bytesPerToken": b}');
    }
    const parsed = binMetaSchema.safeParse(json);
    if (!parsed.success) throw new DataError(`${parsed.error.issues[0]?.path.join(".") || "value"}: ${parsed.error.issues[0]?.message}`, metaPath, 'write {"vocab": V, "bytesPerToken": b}');
    meta = parsed.data;
  } else if (uint16) {
    throw new DataError(`uint16 ids need ${basename(metaPath)} with their vocab and bytesPerToken`, metaPath, 'write {"vocab": V, "bytesPerToken": b} next to the .bin');
  }
  if (!uint16 && meta.vocab > 256) throw new DataError(`vocab ${meta.vocab} does not fit uint8 ids`, metaPath, "store the ids as x.u16.bin");
  const files: Record<string, FileEntry> = {};
  const readIds = (file: string): Uint8Array | Uint16Array => {
    const bytes = readFileSync(file);
    files[basename(file)] = fileEntry(bytes);
    return decodeIds(file, bytes, uint16, meta.vocab);
  };
  const all = readIds(path);
  const valPath = `${stem}.val${uint16 ? ".u16" : ""}.bin`;
  let train = all;
  let val: Uint8Array | Uint16Array;
  let valFraction = 0;
  if (existsSync(valPath)) {
    val = readIds(valPath);
  } else {
    const cut = all.length - Math.ceil(all.length * VAL_FRACTION);
    if (cut < 1) throw new DataError(`${all.length} ids are too few to hold out 5% for validation`, path, `add ids or give ${basename(valPath)}`);
    train = all.subarray(0, cut);
    val = all.subarray(cut);
    valFraction = VAL_FRACTION;
  }
  return corpusOf(path, train, val, {
    dtype: uint16 ? "uint16" : "uint8",
    vocab: meta.vocab,
    bytesPerToken: meta.bytesPerToken,
    valFraction,
    sources: {},
    dropped: [],
    files,
  });
}

/** Token ids from a .bin, checked: not empty, whole uint16s, every id below vocab. */
function decodeIds(file: string, bytes: Uint8Array, uint16: boolean, vocab: number): Uint8Array | Uint16Array {
  if (bytes.length === 0) throw new DataError("the file is empty", file, "write token ids into it or remove it");
  if (uint16 && bytes.length % 2 !== 0) throw new DataError(`odd byte length ${bytes.length} for uint16 ids (truncated?)`, file, "rewrite it as whole little-endian uint16 ids");
  let ids: Uint8Array | Uint16Array;
  if (uint16) {
    const copy = new Uint8Array(bytes.length); // aligned copy: a Buffer may sit at an odd offset
    copy.set(bytes);
    ids = new Uint16Array(copy.buffer);
    if (endianness() === "BE") for (let i = 0; i < ids.length; i++) ids[i] = ((ids[i]! & 0xff) << 8) | (ids[i]! >>> 8);
  } else {
    ids = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  for (let i = 0; i < ids.length; i++) {
    if (ids[i]! >= vocab) throw new DataError(`id ${ids[i]} at position ${i} is not below vocab ${vocab}`, file, "fix the ids or the vocab in the .json");
  }
  return ids;
}

function corpusOf(
  path: string,
  train: Uint8Array | Uint16Array,
  val: Uint8Array | Uint16Array,
  rest: Pick<CorpusManifest, "dtype" | "vocab" | "bytesPerToken" | "valFraction" | "sources" | "dropped" | "files">,
): Corpus {
  if (val.length === 0) throw new DataError("the validation split is empty", path, "give more documents or a non-empty val file");
  const manifest: CorpusManifest = {
    schemaVersion: 1,
    builderVersion: CORPUS_BUILDER_VERSION,
    corpus: basename(path),
    kind: "user",
    packages: {},
    tokens: { train: train.length, val: val.length },
    ...rest,
  };
  return { name: manifest.corpus, vocab: manifest.vocab, train, val, bytesPerToken: manifest.bytesPerToken, manifest };
}
