/**
 * Errors of the policy engine. `code` is part of the CLI / function contract:
 *   invalid_input      the request does not match the input schema, or is inconsistent
 *   invalid_id_number  the ID number is malformed, has a bad check character or an impossible date
 *   policy_not_loaded  no policy table is published for the requested benefit year
 * `message` is plain Simplified Chinese, shown to the resident as it is; it never quotes the
 * ID number itself (privacy: DESIGN.md, data rules).
 */
export type PolicyErrorCode = 'invalid_input' | 'invalid_id_number' | 'policy_not_loaded';

export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  /** The input field the error concerns, when there is one (e.g. "person.idNumber"). */
  readonly field?: string;

  constructor(code: PolicyErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'PolicyError';
    this.code = code;
    if (field !== undefined) this.field = field;
    // Keep instanceof working when compiled to ES5 by older toolchains.
    Object.setPrototypeOf(this, PolicyError.prototype);
  }

  toJSON(): { code: PolicyErrorCode; message: string; field?: string } {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

export function isPolicyError(e: unknown): e is PolicyError {
  return e instanceof PolicyError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'PolicyError');
}
