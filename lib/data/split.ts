import { createHash } from "node:crypto";
import type { Document } from "./sources";

/**
 * The deterministic train/validation split (data.md): within each source, documents are ordered by
 * sha256("<source>/<id>") and moved to validation in that order until the source's validation bytes
 * reach `valFraction` of its bytes. Holdout is by whole document and stratified by source; it does not
 * depend on file order or the machine, and a new document changes the split only locally.
 */

/** Share of each source's UTF-8 bytes held out for validation (data.md: `--val 0.05`). */
export const VAL_FRACTION = 0.05;

export interface SplitStats {
  trainDocs: number;
  valDocs: number;
  /** UTF-8 bytes of document text (separators not counted). */
  trainBytes: number;
  valBytes: number;
}

export interface Split {
  /** Documents in their input order. */
  readonly train: Document[];
  readonly val: Document[];
  /** Per source, in order of first appearance. */
  readonly stats: Record<string, SplitStats>;
}

/** The sort key of a document: hex sha256 of `<source>/<id>`. */
export function splitKey(doc: Pick<Document, "source" | "id">): string {
  return createHash("sha256").update(`${doc.source}/${doc.id}`).digest("hex");
}

export function splitDocuments(documents: readonly Document[], valFraction = VAL_FRACTION): Split {
  const bySource = new Map<string, Document[]>();
  for (const doc of documents) {
    const list = bySource.get(doc.source) ?? [];
    list.push(doc);
    bySource.set(doc.source, list);
  }
  const valSet = new Set<Document>();
  const stats: Record<string, SplitStats> = {};
  for (const [source, docs] of bySource) {
    const bytes = docs.map((d) => Buffer.byteLength(d.text, "utf8"));
    const total = bytes.reduce((a, b) => a + b, 0);
    const order = docs.map((doc, i) => ({ doc, i, key: splitKey(doc) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let valBytes = 0;
    for (const { doc, i } of order) {
      if (valBytes >= valFraction * total) break;
      valSet.add(doc);
      valBytes += bytes[i]!;
    }
    const valDocs = docs.filter((d) => valSet.has(d)).length;
    stats[source] = { trainDocs: docs.length - valDocs, valDocs, trainBytes: total - valBytes, valBytes };
  }
  return {
    train: documents.filter((d) => !valSet.has(d)),
    val: documents.filter((d) => valSet.has(d)),
    stats,
  };
}
