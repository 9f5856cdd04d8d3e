/**
 * Pointwise products for the vectorised constraint evaluator (prover/vec-eval.ts) in the WASM kernel
 * (assembly/vecmul.ts): base·base, extension·base and extension·extension vectors of n points, extension vectors
 * coordinate-major (4·n). The operands are copied into kernel scratch and the product copied out; inputs must be
 * canonical, results are canonical and identical to the JavaScript products.
 */
import { kernels } from "./index.ts";
import { invalid } from "./errors.ts";

const P = 2013265921;

/**
 * out = a·b where a and b are each a base (length n) or extension (length 4n) vector; out is as long as the longer.
 * n must be a positive multiple of 4.
 */
export function mulVectors(out: Uint32Array, a: Uint32Array, b: Uint32Array, n: number): void {
  if (n <= 0 || n % 4 !== 0) invalid(`vector length ${n} is not a positive multiple of 4`);
  const ea = a.length === 4 * n, eb = b.length === 4 * n;
  if ((!ea && a.length !== n) || (!eb && b.length !== n) || out.length !== ((ea || eb) ? 4 * n : n)) invalid("vector lengths do not match");
  const k = kernels();
  const aP = k.scratchBase();
  const bP = aP + 16 * n;
  const oP = bP + 16 * n;
  k.ensure(oP + 16 * n);
  const mem = k.u32();
  if (ea && eb) {
    mem.set(a, aP >>> 2); mem.set(b, bP >>> 2);
    k.x.vecMulExt(oP, aP, bP, n);
  } else if (ea || eb) {
    mem.set(ea ? a : b, aP >>> 2); mem.set(ea ? b : a, bP >>> 2);
    k.x.vecMulExtBase(oP, aP, bP, n);
  } else {
    mem.set(a, aP >>> 2); mem.set(b, bP >>> 2);
    k.x.vecMulBase(oP, aP, bP, n);
  }
  out.set(mem.subarray(oP >>> 2, (oP >>> 2) + out.length));
}

/**
 * out = a ± b where a and b are each a base (length n) or extension (length 4n) vector (a base operand only
 * meets coordinate 0); out is as long as the longer. n must be a positive multiple of 4.
 */
export function addSubVectors(out: Uint32Array, a: Uint32Array, b: Uint32Array, n: number, subtract: boolean): void {
  if (n <= 0 || n % 4 !== 0) invalid(`vector length ${n} is not a positive multiple of 4`);
  const m = Math.min(a.length, b.length);
  if ((a.length !== n && a.length !== 4 * n) || (b.length !== n && b.length !== 4 * n) || out.length !== Math.max(a.length, b.length)) invalid("vector lengths do not match");
  const k = kernels();
  const aP = k.scratchBase();
  const bP = aP + 4 * m;
  k.ensure(bP + 4 * m);
  const mem = k.u32();
  mem.set(a.length === m ? a : a.subarray(0, m), aP >>> 2);
  mem.set(b.length === m ? b : b.subarray(0, m), bP >>> 2);
  if (subtract) k.x.vecSub(aP, aP, bP, m);
  else k.x.vecAdd(aP, aP, bP, m);
  out.set(mem.subarray(aP >>> 2, (aP >>> 2) + m));
  if (a.length > m) out.set(a.subarray(m), m);
  else if (b.length > m) {
    if (subtract) for (let j = m; j < b.length; j++) out[j] = b[j] === 0 ? 0 : P - b[j]!;
    else out.set(b.subarray(m), m);
  }
}

/**
 * In-place inversion of n extension elements stored coordinate-major in v (4n values), Montgomery's trick in the
 * kernel (one extension inversion, by `invert`, for all of them). Throws RangeError if some element is zero.
 */
export function batchInvertExtKernel(v: Uint32Array, n: number, invert: (x: Uint32Array) => Uint32Array): void {
  if (v.length !== 4 * n) invalid(`expected ${4 * n} values, got ${v.length}`);
  if (n === 0) return;
  const k = kernels();
  const vP = k.scratchBase();
  const preP = vP + 16 * n;
  const tP = preP + 16 * n;
  k.ensure(tP + 32);
  let mem = k.u32();
  mem.set(v, vP >>> 2);
  k.x.extBatchInvForward(vP, preP, n, tP);
  mem = k.u32();
  const total = mem.slice(tP >>> 2, (tP >>> 2) + 4);
  if (total[0] === 0 && total[1] === 0 && total[2] === 0 && total[3] === 0) throw new RangeError("batch inversion of a zero element");
  mem.set(invert(total), (tP >>> 2) + 4);
  k.x.extBatchInvBackward(vP, preP, n, tP + 16);
  v.set(k.u32().subarray(vP >>> 2, (vP >>> 2) + 4 * n));
}
