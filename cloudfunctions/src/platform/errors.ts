/**
 * Errors a function turns into its reply: a stable code for staff and programs,
 * a plain Chinese message for residents. Anything else is an internal error.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    /** Shown to the person as it is: Simplified Chinese, no jargon. */
    readonly userMessage: string,
    /** Optional field the message concerns, so the page can show it next to it. */
    readonly field?: string,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const INTERNAL_MESSAGE = '系统繁忙，请稍后再试';
