import { inflateSync } from "node:zlib";

/**
 * A minimal PNG decoder for the test's own output (8-bit RGBA, non-interlaced, as resvg writes it), so pixel
 * checks need no extra package. Throws on anything else.
 */
export interface Rgba {
  width: number;
  height: number;
  /** width·height·4 bytes, row-major RGBA. */
  data: Uint8Array;
}

export function decodePng(png: Uint8Array): Rgba {
  const buf = Buffer.from(png);
  let offset = 8; // signature
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("ascii", offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || colour !== 6 || interlace !== 0) throw new Error(`decodePng: only 8-bit RGBA non-interlaced (got depth ${depth}, colour ${colour})`);
    } else if (type === "IDAT") idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= 4 ? (data[y * stride + x - 4] ?? 0) : 0;
      const b = y > 0 ? (data[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 4 && y > 0 ? (data[(y - 1) * stride + x - 4] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, data };
}

/** Pixels in the rectangle [x0, x1) × [y0, y1) darker than `threshold` in any channel. */
export function darkPixels(img: Rgba, x0: number, y0: number, x1: number, y1: number, threshold = 200): number {
  let count = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
      const i = (y * img.width + x) * 4;
      if ((img.data[i] ?? 255) < threshold || (img.data[i + 1] ?? 255) < threshold || (img.data[i + 2] ?? 255) < threshold) count++;
    }
  }
  return count;
}
