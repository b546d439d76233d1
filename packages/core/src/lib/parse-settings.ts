import type { $ZodType } from '@paybridge/core/schema';
import { safeParse } from '@paybridge/core/schema';
import { PaybridgeError } from '../errors';

/**
 * Validate a backend's settings once, at creation. Reports every problem at once, each naming the
 * backend's display name and the field.
 */
export function parseSettings<T>(displayName: string, schema: $ZodType<T>, input: unknown): T {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(settings)';
    return { field, message: issue.message };
  });
  const text = problems.map((p) => `${displayName}: ${p.field}: ${p.message}`).join('; ');
  throw new PaybridgeError('INVALID_CONFIG', text, { details: { backend: displayName, problems } });
}
