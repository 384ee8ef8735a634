import { test } from "node:test";
import assert from "node:assert/strict";
import { splitDocuments, splitKey, VAL_FRACTION } from "../../lib/data/split";
import type { Document } from "../../lib/data/sources";
import { createRng } from "../../lib/util/random";

function corpus(seed: number): Document[] {
  const rng = createRng(seed);
  return ["a", "b"].flatMap((source) =>
    Array.from({ length: 200 }, (_, i) => ({ source, id: `doc-${i}`, text: "x".repeat(100 + rng.int(2000)) })),
  );
}

test("splitDocuments(docs) holds out whole documents, ≥ 5% of each source's bytes, in sha256 order", () => {
  const docs = corpus(1);
  const split = splitDocuments(docs);
  const valIds = new Set(split.val.map((d) => `${d.source}/${d.id}`));
  assert.equal(split.train.length + split.val.length, docs.length);
  assert.ok(split.train.every((d) => !valIds.has(`${d.source}/${d.id}`)), "disjoint");
  for (const source of ["a", "b"]) {
    const mine = docs.filter((d) => d.source === source);
    const total = mine.reduce((s, d) => s + d.text.length, 0);
    const stats = split.stats[source]!;
    assert.equal(stats.trainBytes + stats.valBytes, total);
    assert.ok(stats.valBytes >= VAL_FRACTION * total);
    // Minimal: dropping the last held-out document would fall below 5%.
    const ordered = [...mine].sort((x, y) => (splitKey(x) < splitKey(y) ? -1 : 1));
    const held = ordered.slice(0, stats.valDocs);
    assert.deepEqual(new Set(held.map((d) => `${d.source}/${d.id}`)), new Set(split.val.filter((d) => d.source === source).map((d) => `${d.source}/${d.id}`)));
    assert.ok(stats.valBytes - held[held.length - 1]!.text.length < VAL_FRACTION * total);
  }
});

test("splitDocuments(docs) does not depend on document order", () => {
  const docs = corpus(2);
  const ids = (d: Document[]): string[] => d.map((x) => `${x.source}/${x.id}`).sort();
  assert.deepEqual(ids(splitDocuments([...docs].reverse()).val), ids(splitDocuments(docs).val));
});

test("splitKey(doc) is the sha256 of source/id", () => {
  // sha256("a/b") computed independently (printf 'a/b' | sha256sum).
  assert.equal(splitKey({ source: "a", id: "b" }), "c14cddc033f64b9dea80ea675cf280a015e672516090a5626781153dc68fea11");
});
