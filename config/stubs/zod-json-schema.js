/**
 * Stand-in for zod's JSON-Schema modules (v4/core/json-schema-processors.js and to-json-schema.js)
 * in the weapp build only (config/index.ts, NormalModuleReplacementPlugin): the mini-program never
 * turns a schema into JSON Schema, and the two modules were ~20 KB of the 2 MB-limited main
 * package (issue 15's budget: ≤ 600 KB). zod's classic schemas import them eagerly and call them
 * only from `toJSONSchema()` / `~standard.jsonSchema`, which throw here instead.
 * `aggregateChecks` backs the read-only getters (`schema.minLength`, `.format`, …): it answers
 * "no constraint" (null), which nothing in src/ or the contracts reads.
 */
function unavailable() {
  throw new Error('zod JSON Schema is not bundled in the mini-program');
}
const processor = unavailable;

export function aggregateChecks() {
  return {};
}
export const createToJSONSchemaMethod = () => unavailable;
export const createStandardJSONSchemaMethod = () => unavailable;
export const toJSONSchema = unavailable;
export const initializeContext = unavailable;
export const handleUnrepresentable = unavailable;
export const processSchema = unavailable;
export { processSchema as process };
export const extractDefs = unavailable;
export const finalize = unavailable;
export const allProcessors = {};
export const stringProcessor = processor;
export const numberProcessor = processor;
export const booleanProcessor = processor;
export const bigintProcessor = processor;
export const symbolProcessor = processor;
export const nullProcessor = processor;
export const undefinedProcessor = processor;
export const voidProcessor = processor;
export const neverProcessor = processor;
export const anyProcessor = processor;
export const unknownProcessor = processor;
export const dateProcessor = processor;
export const enumProcessor = processor;
export const literalProcessor = processor;
export const nanProcessor = processor;
export const templateLiteralProcessor = processor;
export const fileProcessor = processor;
export const successProcessor = processor;
export const customProcessor = processor;
export const functionProcessor = processor;
export const transformProcessor = processor;
export const mapProcessor = processor;
export const setProcessor = processor;
export const arrayProcessor = processor;
export const objectProcessor = processor;
export const unionProcessor = processor;
export const intersectionProcessor = processor;
export const tupleProcessor = processor;
export const recordProcessor = processor;
export const nullableProcessor = processor;
export const nonoptionalProcessor = processor;
export const defaultProcessor = processor;
export const prefaultProcessor = processor;
export const catchProcessor = processor;
export const pipeProcessor = processor;
export const readonlyProcessor = processor;
export const promiseProcessor = processor;
export const optionalProcessor = processor;
export const lazyProcessor = processor;
