/**
 * Typed calls of the `resident` and `payment` cloud functions. Request and reply types are
 * inferred from the shared zod contracts (@contracts/*); replies are parsed with them.
 */
import {
  residentReplies,
  type ResidentAction,
  type ResidentReply,
  type ResidentRequestInput,
} from '@contracts/resident';
import { paymentReplies, type PaymentAction, type PaymentReply, type PaymentRequest } from '@contracts/payment';
import { arrivedReply, callFunction } from './cloud';

type ResidentEvent<A extends ResidentAction> = Extract<ResidentRequestInput, { action: A }>;
type PaymentEvent<A extends PaymentAction> = Extract<PaymentRequest, { action: A }>;

/** Calls one action of the `resident` function. */
export function resident<A extends ResidentAction>(event: ResidentEvent<A>): Promise<ResidentReply<A>> {
  const schema = residentReplies[event.action as A];
  return callFunction('resident', event, schema as never) as Promise<ResidentReply<A>>;
}

/** The reply of this `resident` call if the early call already brought it (cloud.ts arrivedReply). */
export function residentArrived<A extends ResidentAction>(event: ResidentEvent<A>): { data: ResidentReply<A> } | { error: unknown } | undefined {
  return arrivedReply('resident', event, residentReplies[event.action as A] as never) as { data: ResidentReply<A> } | { error: unknown } | undefined;
}

/** Calls one action of the `payment` function. The client never sends an amount. */
export function payment<A extends PaymentAction>(event: PaymentEvent<A>): Promise<PaymentReply<A>> {
  const schema = paymentReplies[event.action as A];
  return callFunction('payment', event, schema as never) as Promise<PaymentReply<A>>;
}
