import type * as core from '@paybridge/core';
import { describe, expectTypeOf, it } from 'vitest';
import type * as local from '../src/types';

// The button re-declares core's wire shapes so browsers need not bundle core. These assertions are
// checked by `tsc` (the package's typecheck): any drift between the two declarations fails it.
describe('wire types match @paybridge/core', () => {
  it('accepts what the server produces and sends what it accepts', () => {
    expectTypeOf<core.ButtonConfig>().toEqualTypeOf<local.ButtonConfig>();
    expectTypeOf<core.AvailableBackends>().toEqualTypeOf<local.AvailableBackends>();
    expectTypeOf<core.PublicPaymentStatus>().toEqualTypeOf<local.PublicPaymentStatus>();
    expectTypeOf<core.Redirect>().toEqualTypeOf<local.Redirect>();
    expectTypeOf<core.PaymentStatus>().toEqualTypeOf<local.PaymentStatusValue>();
    expectTypeOf<core.StartPaymentResult>().toExtend<local.StartResponse>();
  });
});
