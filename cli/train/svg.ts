// A minimal SVG line chart (no dependency): a few named series over a shared numeric x axis, with
// axes, ticks, gridlines and a legend. Enough for "accuracy per epoch, fixed vs float".

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (v: number): string => (Math.round(v * 100) / 100).toString();

/** "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 400;
  const m = { left: 64, right: 150, top: 40, bottom: 52 };
  const pts = spec.series.flatMap((s) => s.points);
  let [x0, x1] = pts.length ? [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))] : [0, 1];
  let [y0, y1] = pts.length ? [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))] : [0, 1];
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  const pad = (y1 - y0) * 0.08 || 1;
  y0 -= pad;
  y1 += pad;
  const xt = niceTicks(x0, x1, Math.min(10, Math.max(1, Math.round(x1 - x0))));
  const yt = niceTicks(y0, y1, 6);
  const px = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * (W - m.left - m.right);
  const py = (y: number): number => H - m.bottom - ((y - y0) / (y1 - y0)) * (H - m.top - m.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(spec.title)}</text>`);
  for (const t of yt) {
    if (t < y0 || t > y1) continue;
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${fmt(py(t))}" y2="${fmt(py(t))}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${m.left - 6}" y="${fmt(py(t) + 4)}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of xt) {
    out.push(`<line x1="${fmt(px(t))}" x2="${fmt(px(t))}" y1="${H - m.bottom}" y2="${H - m.bottom + 5}" stroke="black"/>`);
    out.push(`<text x="${fmt(px(t))}" y="${H - m.bottom + 18}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="black"/>`);
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="black"/>`);
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${fmt(px(p[0]))} ${fmt(py(p[1]))}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2"/>`);
    for (const p of s.points) {
      out.push(`<circle cx="${fmt(px(p[0]))}" cy="${fmt(py(p[1]))}" r="3" fill="${esc(s.color)}"><title>${esc(s.name)}: ${fmt(p[1])} at ${fmt(p[0])}</title></circle>`);
    }
    const ly = m.top + 10 + 20 * i;
    out.push(`<line x1="${W - m.right + 14}" x2="${W - m.right + 38}" y1="${ly}" y2="${ly}" stroke="${esc(s.color)}" stroke-width="2"/>`);
    out.push(`<text x="${W - m.right + 44}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
