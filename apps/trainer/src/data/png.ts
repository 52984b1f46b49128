/**
 * PNG in and out for `predict` and `export-digit`: decodes any PNG to an MNIST-style 28×28 digit
 * (white ink on black, the digit scaled into a 20×20 box and centred by its centre of mass, as the
 * MNIST images were made) and encodes a digit back to a grayscale PNG.
 */
import { PNG } from 'pngjs';
import { AppError } from '../util/errors';
import { IMAGE_SIZE, PIXELS } from './digits';

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Ink in [0, 1], row-major: 1 is the pen, 0 the background. */
  readonly ink: Float32Array;
}

/** Decodes a PNG into ink intensities; a light background is inverted so ink is always bright, like MNIST. */
export function decodePng(buf: Uint8Array, name = 'image'): GrayImage {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    throw new AppError(`${name}: not a readable PNG (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height, data } = png;
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const a = data[4 * i + 3] / 255;
    const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    gray[i] = a * lum + (1 - a); // transparent pixels count as white paper
  }
  // The border is background: if it is light, the digit was drawn dark on light paper.
  let border = 0;
  let nb = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
        border += gray[y * width + x];
        nb++;
      }
    }
  }
  const invert = border / nb > 0.5;
  const ink = invert ? gray.map((g) => 1 - g) : gray;
  return { width, height, ink };
}

/** Area-averaging resample of a w×h image to ow×oh (each output pixel averages the source area it covers). */
export function resample(src: Float32Array, w: number, h: number, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh);
  const sx = w / ow;
  const sy = h / oh;
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let acc = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          acc += wx * wy * src[y * w + x];
        }
      }
      out[oy * ow + ox] = acc / (sx * sy);
    }
  }
  return out;
}

/**
 * The 28×28 input the classifier expects. A 28×28 image is taken as already normalised (as the
 * exported test digits are); a larger one is cropped to its ink, scaled so its longer side is 20
 * pixels, and placed with its centre of mass at the centre.
 */
export function toMnistInput(img: GrayImage, name = 'image'): Float32Array {
  const { width: w, height: h, ink } = img;
  if (w < IMAGE_SIZE || h < IMAGE_SIZE) throw new AppError(`${name}: expected a PNG of at least 28×28 pixels, got ${w}×${h}`);
  if (w === IMAGE_SIZE && h === IMAGE_SIZE) return Float32Array.from(ink);
  let max = 0;
  for (const v of ink) max = Math.max(max, v);
  if (max < 0.1) throw new AppError(`${name}: the image is blank (no ink found)`);
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x] > 0.2 * max) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) crop[y * cw + x] = ink[(y + y0) * w + x + x0] / max;
  const scale = 20 / Math.max(cw, ch);
  const sw = Math.max(1, Math.round(cw * scale));
  const sh = Math.max(1, Math.round(ch * scale));
  const small = resample(crop, cw, ch, sw, sh);
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = small[y * sw + x];
      mass += v; mx += v * x; my += v * y;
    }
  }
  // Pixel centres: the centre of the 28×28 frame is at 13.5.
  const ox = Math.round(13.5 - mx / mass);
  const oy = Math.round(13.5 - my / mass);
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const tx = x + ox;
      const ty = y + oy;
      if (tx >= 0 && ty >= 0 && tx < IMAGE_SIZE && ty < IMAGE_SIZE) out[ty * IMAGE_SIZE + tx] = Math.min(1, small[y * sw + x]);
    }
  }
  return out;
}

/** A grayscale PNG of `pixels` in [0, 1] (1 = white), as MNIST draws digits. */
export function encodeGrayPng(pixels: ArrayLike<number>, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const data = Buffer.alloc(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
