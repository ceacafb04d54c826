/**
 * Version of the privacy notice the resident must accept (bump when the text changes).
 * A module of its own, re-exported by ./resident: domain/consent checks it in nearly every
 * function, and importing it from ./resident evaluated that whole contract (~430 zod schemas,
 * a fifth of a function's cold start) in functions that never parse a resident request.
 * No Node imports: bundled into the mini-program with ./resident.
 */
export const CONSENT_VERSION = '2023-08';
