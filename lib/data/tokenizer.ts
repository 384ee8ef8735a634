import { DataError } from "../util/errors";

/**
 * Byte-level tokenizer: a token is one UTF-8 byte, so the vocabulary is 256 ids, any text round-trips
 * exactly, and bits per byte = loss / ln 2 (bytes per token = 1). Why bytes and not BPE: at our model
 * sizes the unembedding of a large vocabulary would cost more FLOPs than the model (data.md, Tokenizers).
 */

/** Number of byte ids. */
export const BYTE_VOCAB = 256;
/** UTF-8 bytes per token for the byte tokenizer. */
export const BYTE_BYTES_PER_TOKEN = 1;

export interface Tokenizer {
  /** Vocabulary size in ids. */
  readonly vocab: number;
  /** Mean UTF-8 bytes per token (1 for bytes), to turn nats per token into bits per byte. */
  readonly bytesPerToken: number;
  encode(text: string): Uint8Array;
  /** Invalid UTF-8 (e.g. a window cut mid-character) decodes to U+FFFD rather than throwing. */
  decode(ids: ArrayLike<number>): string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

export const byteTokenizer: Tokenizer = Object.freeze({
  vocab: BYTE_VOCAB,
  bytesPerToken: BYTE_BYTES_PER_TOKEN,
  encode: (text: string): Uint8Array => encoder.encode(text),
  decode(ids: ArrayLike<number>): string {
    if (ids instanceof Uint8Array) return decoder.decode(ids);
    const bytes = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= BYTE_VOCAB) {
        throw new DataError(`id ${id} at position ${i} is not a byte (0–255)`, "ids", "decode only byte-level token ids");
      }
      bytes[i] = id;
    }
    return decoder.decode(bytes);
  },
});
