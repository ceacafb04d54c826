/**
 * `student`: a verified student's (or a parent's) entry on a university's or school's roster
 * (issue 12). Paying is the `payment` function's ordinary order.
 */
import { studentRequestSchema } from '../../contracts/student';
import { acting } from '../../domain/platform-deps';
import { studentEntries } from '../../domain/rosters/student';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('student', studentRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'myEntries':
      return studentEntries(deps, event.benefitYear);
  }
});
