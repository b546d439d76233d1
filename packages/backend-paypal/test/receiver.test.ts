import { describe, expect, it } from 'vitest';
import { checkReceiver, receiverIdentity } from '../src/lib/receiver';
import { paypalSettingsSchema } from '../src/lib/settings';

const identity = (input: Record<string, unknown>) =>
  receiverIdentity(paypalSettingsSchema().parse({ business: 'merchant@example.com', ...input }));

describe('receiver check', () => {
  it('accepts our receiver_id and refuses another account’s', () => {
    const id = identity({ receiverId: 'MERCHANT12345' });
    expect(
      checkReceiver(id, { receiver_id: 'MERCHANT12345', receiver_email: 'primary@example.com' }).ok,
    ).toBe(true);
    expect(
      checkReceiver(id, { receiver_id: 'THIEF00000000', receiver_email: 'merchant@example.com' }).ok,
    ).toBe(false);
  });

  it('compares receiver_email case-insensitively and trimmed', () => {
    const id = identity({});
    expect(checkReceiver(id, { receiver_email: ' Merchant@Example.COM ' }).ok).toBe(true);
    expect(checkReceiver(id, { receiver_email: 'thief@example.com' }).ok).toBe(false);
  });

  it('requires every configured identity that the message carries to match', () => {
    const id = identity({ receiverId: 'MERCHANT12345', receiverEmails: ['merchant@example.com'] });
    expect(
      checkReceiver(id, { receiver_id: 'MERCHANT12345', receiver_email: 'merchant@example.com' }).ok,
    ).toBe(true);
    expect(checkReceiver(id, { receiver_id: 'MERCHANT12345', receiver_email: 'thief@example.com' }).ok).toBe(
      false,
    );
  });

  it('does not hold receiver_email to business once a merchant id is configured (primary vs secondary email)', () => {
    const id = identity({ business: 'sales@example.com', receiverId: 'MERCHANT12345' });
    expect(checkReceiver(id, { receiver_id: 'MERCHANT12345', receiver_email: 'owner@example.com' }).ok).toBe(
      true,
    );
  });

  it('treats a non-email business as the merchant id', () => {
    const id = identity({ business: 'MERCHANT12345' });
    expect(checkReceiver(id, { receiver_id: 'MERCHANT12345' }).ok).toBe(true);
    expect(checkReceiver(id, { receiver_id: 'OTHER12345678' }).ok).toBe(false);
  });

  it('falls back to business only when no receiver field can be checked, and refuses an empty message', () => {
    const id = identity({ receiverId: 'MERCHANT12345' });
    expect(
      checkReceiver(id, { receiver_email: 'owner@example.com', business: 'merchant@example.com' }).ok,
    ).toBe(true);
    expect(checkReceiver(id, { receiver_email: 'owner@example.com', business: 'thief@example.com' }).ok).toBe(
      false,
    );
    expect(checkReceiver(id, {}).ok).toBe(false);
  });
});
