import type { NvpError } from './nvp-envelope';

/**
 * The NVP error codes the simulator answers with (protocol reference paypal-api.md §5, §7). Short
 * messages are PayPal's; long messages say what was wrong. Codes marked UNCONFIRMED in the reference
 * (10006, 81002, 11002) are used as written there.
 */
export class NvpRefusal extends Error {
  constructor(readonly errors: NvpError[]) {
    super(errors.map((error) => `${error.code} ${error.long}`).join('; '));
    this.name = 'NvpRefusal';
  }
}

const error = (code: string, short: string, long: string): NvpError => ({
  code,
  short,
  long,
  severity: 'Error',
});

const INVALID_ARGUMENT =
  'Transaction refused because of an invalid argument. See additional error messages for details.';

export const nvpErrors = {
  internal: () => error('10001', 'Internal Error', 'Internal Error'),
  security: () => error('10002', 'Security error', 'Security header is not valid'),
  /** A caller mistake in a field: missing, malformed or contradictory. */
  invalidArgument: (long: string) => error('10004', INVALID_ARGUMENT, long),
  version: (long: string) => error('10006', 'Version error', long),
  permission: (long: string) => error('10007', 'Permission denied', long),
  /** A business refusal of a refund. */
  refused: (long: string) => error('10009', 'Transaction refused', long),
  invalidTxnId: () =>
    error(
      '10011',
      'Invalid transaction id value',
      'Transaction refused because of an invalid transaction id value',
    ),
  method: (long: string) => error('81002', 'Unspecified Method', long),
  profileIdMissing: () => error('11551', 'Profile ID is missing', 'Profile ID is missing'),
  profileIdInvalid: () => error('11552', 'Invalid profile ID', 'The profile ID is invalid'),
  actionInvalid: () => error('11553', 'Invalid action', 'The action specified is invalid'),
  cancelStatus: () =>
    error(
      '11556',
      'Invalid profile status for cancel action',
      'Invalid profile status for cancel action; profile should be active or suspended',
    ),
  suspendStatus: () =>
    error(
      '11557',
      'Invalid profile status for suspend action',
      'Invalid profile status for suspend action; profile should be active',
    ),
  reactivateStatus: () =>
    error(
      '11558',
      'Invalid profile status for reactivate action',
      'Invalid profile status for reactivate action; profile should be suspended',
    ),
  truncated: (): NvpError => ({
    code: '11002',
    short: 'Search warning',
    long: 'The number of results were truncated. Please change your search parameters if you wish to see all your results.',
    severity: 'Warning',
  }),
};

/** The error for a code injected by the `apiFailure` fault: PayPal's messages where we know them. */
export function faultError(code: string): NvpError {
  const known: Record<string, () => NvpError> = {
    '10001': nvpErrors.internal,
    '10002': nvpErrors.security,
    '10011': nvpErrors.invalidTxnId,
    '11552': nvpErrors.profileIdInvalid,
    '11556': nvpErrors.cancelStatus,
  };
  const make = known[code];
  if (make) return make();
  if (code === '10009') return nvpErrors.refused('Transaction refused (injected by the sandbox)');
  if (code === '10004') return nvpErrors.invalidArgument('Invalid argument (injected by the sandbox)');
  return error(code, 'Injected error', `Error ${code} injected by the sandbox's apiFailure fault`);
}
