// Progress bar on stderr for a TTY: samples done / total, samples per second, ETA; in STARK mode followed by
// where the current run's proof stands (its segments: one run takes minutes to hours, while the samples
// count moves only when a run is done). Redrawn in place at most a few times a second; silent (a no-op sink)
// when stderr is not a TTY or output is JSON.

import type { ProgressSink, ProveStep } from "./orchestrate.ts";
import { SILENT } from "./orchestrate.ts";

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One line of the bar, e.g. "[#####-----]  1,024/60,000 samples  412/s  ETA 02:23". */
export function progressLine(done: number, total: number, seconds: number, width = 30): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const fill = Math.round(frac * width);
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.NaN;
  const n = (v: number): string => v.toLocaleString("en-US");
  return `[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${n(done)}/${n(total)} samples  ${n(Math.round(rate))}/s  ETA ${formatEta(eta)}`;
}

/**
 * What a proof step reads like after the bar, e.g. "train-000003: proved 4/9 parts (phase 2 of 2; memory +
 * 8 segments)". The prover reports a part when it is done, in two passes over all parts: commit, then prove.
 */
export function stepLine(label: string, s: ProveStep): string {
  if (s.phase === "commit" || s.phase === "prove") {
    const pass = s.phase === "commit" ? "committed" : "proved";
    return `${label}: ${pass} ${s.k}/${s.n} parts (phase ${s.phase === "commit" ? 1 : 2} of 2; memory + ${s.n - 1} segment${s.n === 2 ? "" : "s"})`;
  }
  return s.phase === "execute" ? `${label}: executing` : `${label}: building the segments' traces`;
}

export class ProgressBar implements ProgressSink {
  private readonly t0 = performance.now();
  private lastDraw = 0;
  private shown = false;
  private done = 0;
  private total = 0;
  private step = "";
  constructor(private readonly out: NodeJS.WriteStream) {}

  trained(done: number, total: number): void {
    this.done = done;
    this.total = total;
    this.draw(done === total);
  }

  proving(label: string, step: ProveStep): void {
    this.step = stepLine(label, step);
    // Steps come seconds to minutes apart: each is worth drawing, not only the throttled ones.
    this.draw(true);
  }

  private draw(force: boolean): void {
    const t = performance.now();
    if (!force && t - this.lastDraw < 200) return;
    this.lastDraw = t;
    const bar = this.total > 0 ? progressLine(this.done, this.total, (t - this.t0) / 1000) : "";
    const sep = bar !== "" && this.step !== "" ? "  · " : "";
    this.out.write(`\r${bar}${sep}${this.step}\x1b[K`);
    this.shown = true;
  }

  phase(what: string): void {
    this.out.write(`${this.shown ? "\n" : ""}${what}\n`);
    this.shown = false;
    this.step = "";
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.shown) this.out.write("\n");
    this.shown = false;
  }
}

/** The bar when stderr is a TTY and the output is not JSON; otherwise silence. */
export function progressFor(json: boolean): ProgressSink & { finish(): void } {
  if (!json && process.stderr.isTTY) return new ProgressBar(process.stderr);
  return { ...SILENT, finish: () => {} };
}
