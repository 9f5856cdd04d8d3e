// Progress bar on stderr for a TTY: samples done / total, samples per second, ETA. Redrawn in place at
// most a few times a second; silent (a no-op sink) when stderr is not a TTY or output is JSON.

import type { ProgressSink } from "./orchestrate.ts";
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

export class ProgressBar implements ProgressSink {
  private readonly t0 = performance.now();
  private lastDraw = 0;
  private shown = false;
  constructor(private readonly out: NodeJS.WriteStream) {}

  trained(done: number, total: number): void {
    const t = performance.now();
    if (done < total && t - this.lastDraw < 200) return;
    this.lastDraw = t;
    this.out.write(`\r${progressLine(done, total, (t - this.t0) / 1000)}\x1b[K`);
    this.shown = true;
  }

  phase(what: string): void {
    this.out.write(`${this.shown ? "\n" : ""}${what}\n`);
    this.shown = false;
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
