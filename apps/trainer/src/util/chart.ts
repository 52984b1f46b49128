/** Plain-SVG line charts written by the app: no dependency, readable by any browser or viewer. */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
  /** Draws dots instead of a line (for scattered data). */
  readonly scatter?: boolean;
  /** A CSS colour; by default the next of the palette. */
  readonly color?: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Logarithmic y axis (non-positive values are dropped). */
  readonly logY?: boolean;
}

export interface ChartLayout {
  readonly columns?: number;
  readonly panelWidth?: number;
  readonly panelHeight?: number;
}

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 62, right: 16, top: 34, bottom: 46 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round numbers for axis labels: about `target` ticks at 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

function panel(spec: ChartSpec, x0: number, y0: number, w: number, h: number): string {
  const keep = (p: readonly [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!spec.logY || p[1] > 0);
  const series = spec.series.map((s) => ({ ...s, points: s.points.filter(keep) }));
  const all = series.flatMap((s) => s.points);
  const [xlo, xhi] = extent(all.map((p) => p[0]));
  const ty = spec.logY ? Math.log10 : (v: number) => v;
  let [ylo, yhi] = extent(all.map((p) => ty(p[1])));
  if (!spec.logY) {
    const pad = (yhi - ylo) * 0.05;
    [ylo, yhi] = [ylo - pad, yhi + pad];
  }
  const pw = w - MARGIN.left - MARGIN.right;
  const ph = h - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => x0 + MARGIN.left + ((v - xlo) / (xhi - xlo)) * pw;
  const py = (v: number) => y0 + MARGIN.top + ph - ((ty(v) - ylo) / (yhi - ylo)) * ph;
  const out: string[] = [];
  out.push(`<text x="${x0 + w / 2}" y="${y0 + 20}" text-anchor="middle" font-size="14" font-weight="bold">${esc(spec.title)}</text>`);
  out.push(`<rect x="${x0 + MARGIN.left}" y="${y0 + MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (const t of niceTicks(xlo, xhi)) {
    const x = px(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${y0 + MARGIN.top}" y2="${y0 + MARGIN.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${y0 + MARGIN.top + ph + 16}" text-anchor="middle" font-size="11">${fmt(t)}</text>`);
  }
  const yTicks = spec.logY
    ? niceTicks(Math.floor(ylo), Math.ceil(yhi)).filter((e) => Number.isInteger(e) && e >= Math.floor(ylo) && e <= Math.ceil(yhi)).map((e) => 10 ** e)
    : niceTicks(ylo, yhi);
  for (const t of yTicks) {
    const y = py(t);
    if (y < y0 + MARGIN.top - 0.5 || y > y0 + MARGIN.top + ph + 0.5) continue;
    out.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + MARGIN.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  out.push(`<text x="${x0 + MARGIN.left + pw / 2}" y="${y0 + h - 8}" text-anchor="middle" font-size="12">${esc(spec.xLabel)}</text>`);
  const ly = y0 + MARGIN.top + ph / 2;
  out.push(`<text x="${x0 + 14}" y="${ly}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 14} ${ly})">${esc(spec.yLabel)}</text>`);
  // The legend sits top-left on a translucent card so lines under it stay visible but do not clash.
  const legendWidth = 34 + 6.2 * Math.max(0, ...series.map((s) => s.name.length));
  const legend: string[] = series.length === 0 ? [] : [
    `<rect x="${x0 + MARGIN.left + 4}" y="${y0 + MARGIN.top + 3}" width="${legendWidth.toFixed(0)}" height="${series.length * 16 + 4}" fill="white" fill-opacity="0.8" stroke="#ddd"/>`,
  ];
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length];
    if (s.scatter) {
      for (const [x, y] of s.points) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}" fill-opacity="0.7"/>`);
    } else if (s.points.length > 0) {
      const d = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    const lx = x0 + MARGIN.left + 10;
    const lyy = y0 + MARGIN.top + 14 + i * 16;
    legend.push(`<line x1="${lx}" x2="${lx + 18}" y1="${lyy - 4}" y2="${lyy - 4}" stroke="${color}" stroke-width="${s.scatter ? 5 : 2}"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    legend.push(`<text x="${lx + 24}" y="${lyy}" font-size="11">${esc(s.name)}</text>`);
  });
  // Drawn after every series, so the card lies over the lines and the entries over the card.
  return [...out, ...legend].join('\n');
}

/** One SVG document with the panels laid out in a grid. */
export function chartSvg(panels: readonly ChartSpec[], layout: ChartLayout = {}): string {
  const cols = Math.max(1, Math.min(layout.columns ?? panels.length, panels.length));
  const w = layout.panelWidth ?? 420;
  const h = layout.panelHeight ?? 300;
  const rows = Math.ceil(panels.length / cols);
  const body = panels.map((p, i) => panel(p, (i % cols) * w, Math.floor(i / cols) * h, w, h)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * w}" height="${rows * h}" viewBox="0 0 ${cols * w} ${rows * h}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
