import type { SandboxClock } from '../lib/clock';
import { HTML, PLAIN_TEXT, withOwnHeaders } from '../lib/response';
import type { PaypalAccount } from './checkout-request';
import type { PaypalFaults } from './faults';
import {
  type Envelope,
  failurePairs,
  type NvpError,
  type NvpPairs,
  newCorrelationId,
  nvpParse,
  nvpResponse,
  successPairs,
} from './nvp-envelope';
import { faultError, NvpRefusal, nvpErrors } from './nvp-errors';

/**
 * The NVP API endpoints (protocol reference paypal-api.md §2). PayPal has one host per credential type;
 * the simulator has one path per type: `/paypal/nvp` takes API signature (3-token) credentials and
 * `/paypal/cert/nvp` takes certificate credentials (USER and PWD only — a local simulator sees no client
 * certificate, so the certificate is taken as presented by the credential's owner).
 */
export type NvpEndpoint = 'signature' | 'certificate';

/** One set of NVP API credentials of a merchant account: with `signature` 3-token, without it certificate. */
export interface PaypalApiCredential {
  username: string;
  password: string;
  signature?: string;
  /** The account's primary email (`business` of `accounts`). */
  business: string;
}

/** One call to the NVP API, as answered. */
export interface PaypalApiCall {
  at: number;
  endpoint: NvpEndpoint;
  method: string;
  ack: string;
  errorCodes: string[];
  correlationId: string;
  /** The API username that authenticated, when one did. */
  username?: string;
}

export interface NvpContext {
  account: PaypalAccount;
  /** The request's VERSION as a number. */
  version: number;
  fields: Map<string, string>;
  now: number;
}

export type NvpOperation = (context: NvpContext) => { fields: NvpPairs; warnings?: NvpError[] };

export interface NvpApiOptions {
  clock: SandboxClock;
  accounts: readonly PaypalAccount[];
  credentials: readonly PaypalApiCredential[];
  faults: () => PaypalFaults;
  operations: Record<string, NvpOperation>;
  /** Highest VERSION accepted. */
  maxVersion: number;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++)
    difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

/** Waits `ms` real milliseconds unless the caller gives up first (its abort reaches us as over a socket). */
function hang(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createNvpApi(options: NvpApiOptions) {
  const calls: PaypalApiCall[] = [];

  function authenticate(fields: Map<string, string>, endpoint: NvpEndpoint) {
    const user = fields.get('USER') ?? '';
    const signature = fields.get('SIGNATURE');
    const credential = options.credentials.find((candidate) => candidate.username === user);
    if (!credential) return undefined;
    // Certificate credentials only work on the certificate host, signature credentials on the 3-token host.
    if ((endpoint === 'signature') !== (credential.signature !== undefined)) return undefined;
    let ok = constantTimeEqual(fields.get('PWD') ?? '', credential.password);
    if (endpoint === 'signature') ok = constantTimeEqual(signature ?? '', credential.signature ?? '') && ok;
    else if (signature !== undefined && signature !== '') ok = false;
    const business = credential.business.toLowerCase();
    const account = options.accounts.find((candidate) => candidate.business.toLowerCase() === business);
    return ok && account ? { credential, account } : undefined;
  }

  function answer(envelope: Envelope, fields: Map<string, string>, endpoint: NvpEndpoint) {
    const auth = authenticate(fields, endpoint);
    if (!auth) throw new NvpRefusal([nvpErrors.security()]);
    const versionText = fields.get('VERSION') ?? '';
    const version = /^\d{1,3}(\.\d{1,2})?$/.test(versionText) ? Number(versionText) : Number.NaN;
    if (!(version > 0 && version <= options.maxVersion)) {
      throw new NvpRefusal([
        nvpErrors.version(
          versionText === '' ? 'Version is missing' : `Version ${versionText.slice(0, 20)} is not supported`,
        ),
      ]);
    }
    const method = fields.get('METHOD') ?? '';
    const operation = Object.hasOwn(options.operations, method) ? options.operations[method] : undefined;
    if (!operation) {
      throw new NvpRefusal([
        nvpErrors.method(
          method === ''
            ? 'Method Specified is not Supported'
            : `Method ${method.slice(0, 60)} is not supported`,
        ),
      ]);
    }
    // SUBJECT names a third-party merchant who granted API permissions; the sandbox grants none (§2).
    const subject = (fields.get('SUBJECT') ?? '').toLowerCase();
    const own = [auth.account.business, ...(auth.account.emails ?? [])].map((email) => email.toLowerCase());
    if (subject !== '' && !own.includes(subject)) {
      throw new NvpRefusal([nvpErrors.permission('You do not have permissions to make this API call')]);
    }
    const injected = options.faults().apiFailure;
    if (injected && injected.remaining > 0) {
      injected.remaining--;
      throw new NvpRefusal([faultError(injected.code)]);
    }
    return {
      username: auth.credential.username,
      ...operation({ account: auth.account, version, fields, now: envelope.now }),
    };
  }

  return {
    async handle(request: Request, endpoint: NvpEndpoint): Promise<Response> {
      if (request.method !== 'POST') {
        return withOwnHeaders('The NVP API takes POST requests', 405, PLAIN_TEXT, { allow: 'POST' });
      }
      const faults = options.faults();
      if (faults.apiTimeoutMs && faults.apiTimeoutMs > 0) await hang(faults.apiTimeoutMs, request.signal);
      const outage = faults.apiError;
      if (outage && outage.remaining > 0) {
        outage.remaining--;
        const text = outage.status === 503 ? 'Service Unavailable' : 'Internal Server Error';
        return withOwnHeaders(text, outage.status, HTML);
      }
      // The sandbox's handler has already bounded the body (413 beyond the limit).
      const fields = nvpParse(new Uint8Array(await request.arrayBuffer()));
      const envelope: Envelope = {
        now: options.clock.now(),
        correlationId: newCorrelationId(),
        version: (fields.get('VERSION') ?? '').slice(0, 20),
      };
      const call: PaypalApiCall = {
        at: envelope.now,
        endpoint,
        method: (fields.get('METHOD') ?? '').slice(0, 60),
        ack: 'Failure',
        errorCodes: [],
        correlationId: envelope.correlationId,
      };
      calls.push(call);
      try {
        const { username, fields: result, warnings = [] } = answer(envelope, fields, endpoint);
        call.username = username;
        call.ack = warnings.length > 0 ? 'SuccessWithWarning' : 'Success';
        call.errorCodes = warnings.map((warning) => warning.code);
        return nvpResponse(successPairs(envelope, result, warnings));
      } catch (error) {
        if (!(error instanceof NvpRefusal)) throw error;
        call.errorCodes = error.errors.map((item) => item.code);
        return nvpResponse(failurePairs(envelope, error.errors));
      }
    },
    calls: (): PaypalApiCall[] => calls.map((call) => ({ ...call, errorCodes: [...call.errorCodes] })),
  };
}

export type NvpApi = ReturnType<typeof createNvpApi>;
