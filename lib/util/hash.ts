import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** Short hex sha256 of the canonical JSON of a value: the address of a run or a fit. */
export function contentKey(value: unknown, hexChars = 16): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, hexChars);
}
