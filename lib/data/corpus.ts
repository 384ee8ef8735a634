import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { DataError } from "../util/errors";
import { CORPUS_BUILDER_VERSION, corpusManifestSchema, fileEntry, type CorpusManifest } from "./manifest";
import { CORPUS_FILES, EMBEDDED_CORPORA, buildEmbeddedCorpus, isEmbeddedCorpus } from "./build";
import { SOURCES, installedVersion, packageDir } from "./sources";
import { loadUserCorpus } from "./userCorpus";
import type { TokenArray } from "./sampler";

/**
 * `loadCorpus(nameOrPath)`: an embedded corpus by name (built into `data/<name>/` on first use and
 * verified against its manifest on every load) or a user corpus by path (see userCorpus.ts).
 */

export interface Corpus {
  /** Embedded name, or the user path's base name. */
  readonly name: string;
  /** Token ids are in [0, vocab). */
  readonly vocab: number;
  readonly train: TokenArray;
  readonly val: TokenArray;
  /** Mean UTF-8 bytes per token: bits per byte = loss (nats/token) / (ln 2 · bytesPerToken). */
  readonly bytesPerToken: number;
  readonly manifest: CorpusManifest;
}

export interface LoadCorpusOptions {
  /** Folder holding built embedded corpora; default `data/` in the project root (the folder whose node_modules holds the corpus packages), else in the cwd. */
  dataDir?: string;
  /** Called with the reason before an embedded corpus is (re)built, e.g. to print "building en-prose…". Default: silent. */
  onBuild?: (reason: string) => void;
}

/** The default corpus (config.ts `corpus` default). */
export const DEFAULT_CORPUS = "en-prose";

/** Load attempts before giving up: a concurrent rebuild can swap the folder while we read it. */
const LOAD_ATTEMPTS = 3;

export async function loadCorpus(nameOrPath: string, options: LoadCorpusOptions = {}): Promise<Corpus> {
  if (isEmbeddedCorpus(nameOrPath)) return loadEmbedded(nameOrPath, options.dataDir ?? defaultDataDir(), options.onBuild);
  return loadUserCorpus(userCorpusPath(nameOrPath, "corpus"));
}

/** The absolute path of a user corpus, or a DataError at `field` naming the embedded choices. */
function userCorpusPath(nameOrPath: string, field: string): string {
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new DataError(
      `unknown corpus "${nameOrPath}" (no such name or path)`,
      field,
      `choose ${Object.keys(EMBEDDED_CORPORA).join(", ")}, or a path to a folder of .txt files, a .jsonl with a "text" field, or a .bin/.u16.bin of token ids`,
    );
  }
  return path;
}

/**
 * Check a corpus reference before any training (plan, --dry-run, sweep): an embedded name passes
 * (built on first use), a user corpus is read whole, so a missing path, a bad line or non-UTF-8
 * bytes are reported once, up front, at `field` (e.g. `spec.corpus`).
 */
export function checkCorpus(nameOrPath: string, field = "corpus"): void {
  if (isEmbeddedCorpus(nameOrPath)) return;
  loadUserCorpus(userCorpusPath(nameOrPath, field));
}

/** `data/` next to the node_modules that holds the corpus packages (so notebooks in a subfolder share it). */
export function defaultDataDir(): string {
  try {
    const dir = packageDir(SOURCES.gutenberg!.packageName);
    return join(dirname(dirname(dir)), "data");
  } catch {
    return join(process.cwd(), "data");
  }
}

async function loadEmbedded(name: string, dataDir: string, onBuild: ((reason: string) => void) | undefined): Promise<Corpus> {
  const target = join(dataDir, name);
  let problem = "";
  for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
    const loaded = tryLoadBuilt(target);
    if (typeof loaded !== "string") return loaded;
    problem = loaded;
    onBuild?.(`${name}: ${problem}; building into ${target}`);
    buildAtomically(name, dataDir, target);
  }
  throw new DataError(`corpus ${name} in ${target} does not verify after ${LOAD_ATTEMPTS} builds (${problem})`, "corpus", `delete ${target} and check the disk`);
}

/**
 * Builds into a private temp folder and renames it into place, so readers never see a half-written
 * corpus and concurrent builders (one process per core in a sweep) do not corrupt each other: the
 * first rename wins, a loser's identical build is discarded.
 */
function buildAtomically(name: string, dataDir: string, target: string): void {
  mkdirSync(dataDir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temp = join(dataDir, `.tmp-${name}-${tag}`);
  try {
    buildEmbeddedCorpus(name, temp);
    if (existsSync(target)) {
      const stale = join(dataDir, `.stale-${name}-${tag}`);
      try {
        renameSync(target, stale);
        rmSync(stale, { recursive: true, force: true });
      } catch (e) {
        if (!isCode(e, "ENOENT")) throw e;
      }
    }
    try {
      renameSync(temp, target);
    } catch (e) {
      // Another process renamed its build into place first; ours is identical, so keep theirs.
      if (!isCode(e, "ENOTEMPTY") && !isCode(e, "EEXIST")) throw e;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** The corpus in `dir` if its manifest, versions and file hashes all verify; else why not. */
function tryLoadBuilt(dir: string): Corpus | string {
  let manifest: CorpusManifest;
  try {
    const parsed = corpusManifestSchema.safeParse(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")));
    if (!parsed.success) return "manifest.json does not match the schema";
    manifest = parsed.data;
  } catch (e) {
    return isCode(e, "ENOENT") ? "not built yet" : "manifest.json is unreadable";
  }
  if (manifest.builderVersion !== CORPUS_BUILDER_VERSION) return `built by builder version ${manifest.builderVersion}, current is ${CORPUS_BUILDER_VERSION}`;
  for (const [pkg, version] of Object.entries(manifest.packages)) {
    let installed: string;
    try {
      installed = installedVersion(packageDir(pkg));
    } catch {
      return `package ${pkg} is not installed`;
    }
    if (installed !== version) return `built from ${pkg}@${version}, installed is ${installed}`;
  }
  const contents: Record<string, Uint8Array> = {};
  for (const file of CORPUS_FILES) {
    const expected = manifest.files[file];
    if (!expected) return `manifest.json lists no ${file}`;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dir, file));
    } catch {
      return `${file} is missing`;
    }
    const actual = fileEntry(bytes);
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) return `${file} does not match its manifest hash (stale or corrupt)`;
    contents[file] = bytes;
  }
  const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return {
    name: manifest.corpus,
    vocab: manifest.vocab,
    train: view(contents["train.txt"]!),
    val: view(contents["val.txt"]!),
    bytesPerToken: manifest.bytesPerToken,
    manifest,
  };
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}
