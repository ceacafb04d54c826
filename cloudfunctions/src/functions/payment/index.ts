/**
 * `payment`: createOrder / queryOrder / closeOrder for the caller's family.
 */
import { paymentRequestSchema } from '../../contracts/payment';
import { closeOrder, createOrder, queryOrder } from '../../domain/orders/orders';
import { acting } from '../../domain/platform-deps';
import { defineFunction } from '../../platform/handler';

export const main = defineFunction('payment', paymentRequestSchema, async (event, ctx) => {
  const deps = acting(ctx.caller, ctx.clock);
  switch (event.action) {
    case 'createOrder':
      return createOrder(deps, event.items);
    case 'queryOrder':
      return queryOrder(deps, event.outTradeNo);
    case 'closeOrder':
      return closeOrder(deps, event.outTradeNo);
  }
});
