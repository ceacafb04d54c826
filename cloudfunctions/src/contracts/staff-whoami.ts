/**
 * `staffDocuments.whoami`: whether the caller is staff, and their role. Its own file because the
 * resident main package asks it (to show the staff entry) and must not carry the staff
 * contracts (they live in the staff subpackage). No Node imports: bundled into the mini-program.
 */
import * as z from 'zod';
import { lazySchema } from '../policy/lazy-schema';

export const staffRoleSchema = lazySchema(() => z.enum(['community', 'district', 'university', 'department', 'city']));

/** `{staff: false}` for everyone not in the `staff` collection; the role only for staff. */
export const whoamiReplySchema = lazySchema(() =>
  z.union([
    z.strictObject({ staff: z.literal(true), role: staffRoleSchema }),
    z.strictObject({ staff: z.literal(false) }),
  ]),
);
export type WhoamiReply = z.infer<typeof whoamiReplySchema>;
