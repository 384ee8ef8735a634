import { DataFrame } from "danfojs-node";

/**
 * DataFrame construction shared by the frames. danfojs-node (CommonJS, loads tfjs) is imported only under
 * lib/frames, so importing lib/figures never loads it.
 */

/** A frame from row arrays in `columns` order; works for zero rows (danfo's object form does not). */
export function toFrame(columns: readonly string[], rows: readonly (readonly unknown[])[]): DataFrame {
  return new DataFrame(rows.map((r) => [...r]) as never, { columns: [...columns] });
}

export { DataFrame };
