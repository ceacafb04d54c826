/**
 * The event the platform's timer trigger delivers to the `reminders` function
 * (config.json triggers: {Type: 'Timer', TriggerName, Time, Message}). Not called by the client.
 * Loose object: the platform may add keys we ignore; the ones we rely on are checked.
 */
import * as z from 'zod';

export const timerEventSchema = z.looseObject({
  Type: z.literal('Timer'),
  TriggerName: z.string().min(1).max(64),
  Time: z.string().max(40).optional(),
  Message: z.string().max(1024).optional(),
});
export type TimerEvent = z.infer<typeof timerEventSchema>;
