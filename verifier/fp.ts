/**
 * The field operations the STARK layer uses: re-exported from verifier/field.ts and verifier/ext.ts so the
 * STARK modules import one place.
 */
export { P, GENERATOR, TWO_ADICITY, add, sub, neg, mul, pow, inv, rootOfUnity, batchInverse } from "./field.ts";
export { extOf, EXT_ZERO, EXT_ONE, eAdd, eSub, eNeg, eMul, eMulBase, ePow, eInv, eIsZero, eEq, eFromBase, eIsBase, type Ext } from "./ext.ts";
