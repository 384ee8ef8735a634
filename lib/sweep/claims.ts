import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { pidAlive, runsDir } from "./store";

/**
 * Run claims: before training a run, a sweep creates `<root>/<experiment>/runs/<key>.claim`
 * exclusively (O_EXCL), so a second sweep on the same folder does not train it again. A claim
 * survives kill -9 of its holder but expires: on the same host when the holder's pid is gone, on
 * another host (a shared folder) when it has not been refreshed for CLAIM_STALE_MS. The holder
 * refreshes its claims every CLAIM_REFRESH_MS while it trains.
 */

/** A live holder touches its claims this often. */
export const CLAIM_REFRESH_MS = 30_000;
/** A claim untouched this long is a dead holder's (20 missed refreshes: a stalled disk, not a busy run). */
export const CLAIM_STALE_MS = 600_000;

export interface ClaimHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the claim was made. */
  readonly since: string;
}

export type ClaimOutcome = { readonly claimed: true; readonly release: () => void } | { readonly claimed: false; readonly heldBy: ClaimHolder };

export function claimPath(root: string, experiment: string, key: string): string {
  return join(runsDir(root, experiment), `${key}.claim`);
}

const held = new Set<string>();
let refresher: NodeJS.Timeout | undefined;

function refreshHeld(): void {
  const now = new Date();
  for (const path of held) {
    try {
      utimesSync(path, now, now);
    } catch {
      // Removed by hand: the run is still trained, its record still written.
    }
  }
}

function holderOf(path: string): ClaimHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<ClaimHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.since === "string") return value as ClaimHolder;
  } catch {
    // Half-written by a holder killed between create and write: judged by its age alone.
  }
  return undefined;
}

/** True when the claim at `path` belongs to no live holder. */
function isStale(path: string, holder: ClaimHolder | undefined, now: number): boolean {
  let ageMs: number;
  try {
    ageMs = now - statSync(path).mtimeMs;
  } catch {
    return true;
  }
  if (ageMs > CLAIM_STALE_MS) return true;
  return holder !== undefined && holder.host === hostname() && !pidAlive(holder.pid);
}

/**
 * Claim run `key` of `experiment` for this process. When another live process holds it, says who;
 * a stale claim is taken over. `release` removes the claim (call it once the record is written).
 */
export function claimRun(root: string, experiment: string, key: string, now = Date.now()): ClaimOutcome {
  const path = claimPath(root, experiment, key);
  mkdirSync(runsDir(root, experiment), { recursive: true });
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date(now).toISOString() } satisfies ClaimHolder));
      } finally {
        closeSync(fd);
      }
      held.add(path);
      refresher ??= setInterval(refreshHeld, CLAIM_REFRESH_MS).unref();
      return {
        claimed: true,
        release: () => {
          held.delete(path);
          rmSync(path, { force: true });
          if (held.size === 0 && refresher) {
            clearInterval(refresher);
            refresher = undefined;
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = holderOf(path);
    if (!isStale(path, holder, now)) return { claimed: false, heldBy: holder ?? { pid: 0, host: "unknown", since: "just now" } };
    rmSync(path, { force: true });
  }
  const holder = holderOf(path);
  return { claimed: false, heldBy: holder ?? { pid: 0, host: "unknown", since: "just now" } };
}
