import type { ActionFunction, ActionFunctionArgs, LoaderFunction, LoaderFunctionArgs } from '@remix-run/node';
import { describe, expectTypeOf, it } from 'vitest';
import { createPaybridgeRoute } from '../src/index';

/**
 * What React Router 7 hands a route module's loader/action (`Route.LoaderArgs`): the request, the
 * params, and a context that is a `RouterContextProvider` once middleware is on. Declared here (the
 * package is not installed) to hold the structural typing to that promise.
 */
interface ReactRouter7Args {
  request: Request;
  params: Readonly<Record<string, string | undefined>>;
  context: { get<T>(key: { defaultValue?: T }): T };
  unstable_pattern: string;
}

// Checked by `tsc` (the package's typecheck), as `expectTypeOf` assertions are.
describe('createPaybridgeRoute types', () => {
  const route = createPaybridgeRoute({ handler: async () => new Response(null, { status: 204 }) });

  it('are a Remix v2 loader and action', () => {
    expectTypeOf(route.loader).toExtend<LoaderFunction>();
    expectTypeOf(route.action).toExtend<ActionFunction>();
    expectTypeOf(route.loader).toBeCallableWith({} as LoaderFunctionArgs);
    expectTypeOf(route.action).toBeCallableWith({} as ActionFunctionArgs);
  });

  it('take React Router 7’s arguments and return a plain Response', () => {
    expectTypeOf(route.loader).toBeCallableWith({} as ReactRouter7Args);
    expectTypeOf(route.action).toBeCallableWith({} as ReactRouter7Args);
    expectTypeOf(route.loader).returns.toEqualTypeOf<Promise<Response>>();
  });
});
