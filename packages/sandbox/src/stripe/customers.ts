import type { ApiCall } from './context';
import { type EventCause, emit } from './events';
import { StripeFailure } from './http';
import { base, lookup, newId, put, type StripeObject, type StripeState } from './model';

/** `POST /v1/customers`. */
export function createCustomer(call: ApiCall): StripeObject {
  const p = call.params.onlyKnown(['email', 'name', 'description', 'metadata', 'phone']);
  return put(call.state, call.account, {
    ...base(call.state, 'customer', newId('cus', 14)),
    description: p.string('description') ?? null,
    email: p.string('email') ?? null,
    metadata: p.metadata(),
    name: p.string('name') ?? null,
    phone: p.string('phone') ?? null,
  });
}

export function newCustomer(
  state: StripeState,
  account: string | null,
  email: string | null,
  cause: EventCause,
): StripeObject {
  const customer = put(state, account, {
    ...base(state, 'customer', newId('cus', 14)),
    description: null,
    email,
    metadata: {},
    name: null,
    phone: null,
  });
  emit(state, account, 'customer.created', customer, cause);
  return customer;
}

export function byId(call: ApiCall, kind: string, id: string): StripeObject {
  const found = lookup(call.state, call.account, id, kind);
  if (!found) throw StripeFailure.missing(kind, id);
  return found;
}
