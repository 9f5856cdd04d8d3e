// The paper's Table 2 configurations (exp1, exp2, exp3a, exp3b) with the reference recipe's learning
// rates (../shared/reference/mnist-reference.md): 0.2 for the 3-layer nets, 0.1 for the 4-layer ones.

export type ConfigName = "exp1" | "exp2" | "exp3a" | "exp3b";

export interface TrainConfig {
  readonly name: string;
  /** Layer widths, input first: [784, …hidden, 10]. */
  readonly layers: readonly number[];
  /** Mini-batch size; a power of two so the batch mean is a rounding shift by log2(batch). */
  readonly batch: number;
  readonly epochs: number;
  /** Learning rate as a real number (float reference) … */
  readonly lr: number;
  /** … and its Q16.16 raw value round(lr·65536) (guest and emulator). */
  readonly lrRaw: number;
  readonly seed: number;
}

function cfg(name: ConfigName, layers: number[], batch: number, epochs: number, lr: number): TrainConfig {
  return { name, layers, batch, epochs, lr, lrRaw: Math.round(lr * 65536), seed: 0 };
}

export const CONFIGS: Readonly<Record<ConfigName, TrainConfig>> = {
  exp1: cfg("exp1", [784, 64, 10], 64, 10, 0.2),
  exp2: cfg("exp2", [784, 128, 64, 10], 128, 10, 0.2),
  exp3a: cfg("exp3a", [784, 256, 128, 64, 10], 256, 25, 0.1),
  exp3b: cfg("exp3b", [784, 256, 128, 64, 10], 512, 25, 0.1),
};

export function isConfigName(s: string): s is ConfigName {
  return Object.hasOwn(CONFIGS, s);
}

export class ConfigError extends Error {
  readonly kind = "InvalidConfig";
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export const MAX_LAYERS = 8;
export const MAX_WIDTH = 4096;
export const MAX_BATCH = 4096;

/** The same limits the guest enforces, checked on the host first so users get a clear message. */
export function validateConfig(c: Pick<TrainConfig, "layers" | "batch" | "lrRaw">): void {
  const { layers, batch, lrRaw } = c;
  if (layers.length < 2 || layers.length > MAX_LAYERS) throw new ConfigError(`need 2..${MAX_LAYERS} layer widths, got ${layers.length}`);
  for (const w of layers) {
    if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) throw new ConfigError(`layer width ${w} outside 1..${MAX_WIDTH}`);
  }
  if (layers[0] !== 784) throw new ConfigError(`input width must be 784 (28×28 pixels), got ${layers[0]}`);
  if (layers[layers.length - 1] !== 10) throw new ConfigError(`output width must be 10 (digits), got ${layers[layers.length - 1]}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH || (batch & (batch - 1)) !== 0) {
    throw new ConfigError(`batch ${batch} must be a power of two in 1..${MAX_BATCH}`);
  }
  if (!Number.isInteger(lrRaw) || lrRaw <= 0 || lrRaw >= 2 ** 31) throw new ConfigError(`learning rate raw ${lrRaw} must be a positive i32`);
}

/** Number of parameters (weights and biases) of an MLP. */
export function paramCount(layers: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l - 1]! * layers[l]! + layers[l]!;
  return n;
}

/**
 * Multiply-accumulates per training sample, counted as the instruction costs them: forward
 * (n_in·n_out per layer), weight gradients (n_in·n_out), back-prop into every hidden layer
 * (n_out·n_in for layers above the first), and the AXPY update of all parameters spread over the batch.
 */
export function macsPerSample(layers: readonly number[], batch: number): number {
  let fwd = 0;
  let back = 0;
  for (let l = 1; l < layers.length; l++) {
    fwd += layers[l - 1]! * layers[l]!;
    if (l > 1) back += layers[l - 1]! * layers[l]!;
  }
  return fwd + fwd + back + paramCount(layers) / batch;
}
