import { describe, expect, it } from 'vitest';
import { createRedactor } from '../src/lib/redact';

describe('redactor', () => {
  it('removes secrets in plain, URL-encoded and JSON-escaped forms', () => {
    const secrets = ['s3cr3t/key+1', 'another"secret'];
    const redact = createRedactor(() => secrets);
    expect(redact.text('a=s3cr3t%2Fkey%2B1&b=s3cr3t/key+1')).toBe('a=[REDACTED]&b=[REDACTED]');
    expect(redact.text(JSON.stringify({ k: 'another"secret' }))).toBe('{"k":"[REDACTED]"}');
  });

  it('sees secrets added after creation (tokens a backend obtains at run time)', () => {
    const secrets: string[] = [];
    const redact = createRedactor(() => secrets);
    expect(redact.text('token 7f0c2e9a-aaaa')).toBe('token 7f0c2e9a-aaaa');
    secrets.push('7f0c2e9a-aaaa');
    expect(redact.text('token 7f0c2e9a-aaaa')).toBe('token [REDACTED]');
  });

  it('masks credential fields and headers even when no secret is configured', () => {
    const redact = createRedactor(() => []);
    expect(redact.text('{"access_token":"abc-123","token_type":"bearer"}')).toBe(
      '{"access_token":"[REDACTED]","token_type":"bearer"}',
    );
    expect(redact.text('grant_type=client_credentials&client_id=1&client_secret=xyz')).toBe(
      'grant_type=client_credentials&client_id=1&client_secret=[REDACTED]',
    );
    expect(redact.headers({ Authorization: 'Bearer abc', 'Content-Type': 'application/json' })).toEqual({
      authorization: 'Bearer [REDACTED]',
      'content-type': 'application/json',
    });
  });
});
