import type { SetupInstructions, SetupUrls } from '@paybridge/core';
import type { CmcicSettings } from './settings';

export interface SetupConfig {
  backendId: string;
  displayName: string;
  settings: Pick<CmcicSettings, 'tpe' | 'macScheme' | 'terminalMode' | 'testMode'>;
}

/** What the merchant does at the bank: register the return interface URL, check the terminal's setup. */
export function cmcicSetupInstructions(urls: SetupUrls, config: SetupConfig): SetupInstructions {
  const { tpe, macScheme, terminalMode, testMode } = config.settings;
  const warnings: string[] = [];
  const notify = new URL(urls.notifyUrl);
  if (notify.protocol !== 'https:') warnings.push('The return interface URL is not HTTPS.');
  if (notify.port && notify.port !== '80' && notify.port !== '443') {
    warnings.push(`The bank only calls ports 80 and 443; this URL uses port ${notify.port}.`);
  }
  if (testMode) warnings.push('Test mode: payments go to the test platform (code-retour payetest).');
  return {
    backend: config.backendId,
    displayName: config.displayName,
    urls: [
      {
        label: `Return interface URL (URL CGI2 / "URL de confirmation") of TPE ${tpe}`,
        url: urls.notifyUrl,
      },
    ],
    steps: [
      `Ask the CM-CIC / Monetico support to register the return interface URL above for TPE ${tpe} (it is not sent in the form).`,
      `Check with the bank which MAC scheme the terminal uses (configured here: ${macScheme}).`,
      'Make test payments: the bank requires a valid acknowledgement for the last three before going live.',
      'Keep the server clock right: the bank refuses forms dated too far from its own time.',
      `Check the terminal's payment mode with the bank (configured here: terminalMode ${terminalMode}): on a deferred or partial terminal a paid return only authorises, and bridge.capture collects.`,
      'For refunds in production, declare the server IP addresses (and a daily maximum of refunds per address) to the bank: refunds from other addresses fail with -30 "Commercant non identifie".',
    ],
    warnings,
  };
}
