/**
 * A minimal PNG reader for the timeline's screenshot test: 8-bit RGB or RGBA, not interlaced
 * (what Chromium writes), decoded with node:zlib so that pixels can be checked without a library.
 */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, four bytes per pixel, rows top to bottom. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR first');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function decodePng(png: Buffer): Image {
  const { width, height } = pngSize(png);
  const bitDepth = png[24];
  const colourType = png[25];
  const interlace = png[28];
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}`);
  }
  const raw = inflateSync(Buffer.concat(dataChunks(png)));
  const rows = unfilter(raw, width, height, channels);
  return { width, height, pixels: toRgba(rows, width, height, channels) };
}

function dataChunks(png: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return chunks;
}

/** Reverses the per-row filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x += 1) {
      const left = x >= bpp ? out[row + x - bpp]! : 0;
      const up = y > 0 ? out[row - stride + x]! : 0;
      const upLeft = x >= bpp && y > 0 ? out[row - stride + x - bpp]! : 0;
      out[row + x] = (line[x]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return out;
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4:
      return paeth(left, up, upLeft);
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function toRgba(rows: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  if (channels === 4) return rows;
  const out = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rows.length; i += 3, j += 4) {
    out[j] = rows[i]!;
    out[j + 1] = rows[i + 1]!;
    out[j + 2] = rows[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}

const parsedColours = new Map<string, number[]>();

function rgb(hex: string): number[] {
  let value = parsedColours.get(hex);
  if (!value) {
    value = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
    parsedColours.set(hex, value);
  }
  return value;
}

/** Whether the pixel at (x, y) is within `tolerance` of the colour `#rrggbb` on each channel. */
export function isColour(image: Image, x: number, y: number, hex: string, tolerance = 12): boolean {
  const index = (y * image.width + x) * 4;
  const [red, green, blue] = rgb(hex) as [number, number, number];
  const pixels = image.pixels;
  return (
    Math.abs(pixels[index]! - red) <= tolerance &&
    Math.abs(pixels[index + 1]! - green) <= tolerance &&
    Math.abs(pixels[index + 2]! - blue) <= tolerance
  );
}
