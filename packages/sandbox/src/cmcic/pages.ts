import { maskPan, TEST_CARDS, TEST_CVV } from './cards';
import { escapeHtml as e } from './encoding';
import type { MacScheme } from './mac';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${e(title)} - CM-CIC Paiement (sandbox)</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto}label{display:block;margin:.5rem 0}
.error{color:#a00}.test{border:1px dashed #888;padding:.5rem;font-size:.9em}</style></head>
<body><h1>${e(title)}</h1>
${body}
</body></html>`;
}

/** The bank's error pages (reference §7); `problems` name fields only, never values or seals. */
export function errorPage(title: string, message: string, problems: string[], link?: string): string {
  const list = problems.length ? `<ul>${problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul>` : '';
  const back = link ? `<p><a href="${e(link)}">Retour au site du commerçant</a></p>` : '';
  return layout(title, `<p class="error">${e(message)}</p>${list}${back}`);
}

export const ERRORS = {
  badMac: [
    'Signature non valide',
    "La signature n'est pas valide : le niveau de sécurité exigé n'est pas atteint.",
  ],
  unknownMerchant: ['Commerçant inconnu', "Le commerçant n'est pas reconnu (TPE, société ou langue)."],
  formInvalid: ['Données incorrectes', 'Les données du formulaire sont incorrectes.'],
  alreadyPaid: ['Commande déjà traitée', 'Votre commande a déjà été traitée.'],
  burnt: ['Commande refusée', 'Le nombre maximal de tentatives de paiement est atteint pour cette commande.'],
  expired: ['Commande expirée', 'Le délai de paiement est dépassé.'],
  closed: ['Session terminée', 'Cette page de paiement est close.'],
} as const satisfies Record<string, readonly [string, string]>;

export interface CardPageInput {
  action: string;
  amount: string;
  reference: string;
  test: boolean;
  /** The card stored under the order's alias, when the buyer only has to type the CVV. */
  storedPan: string | undefined;
  scheme: MacScheme;
  /** The alias allows storing the typed card. */
  canRemember: boolean;
  error: string | undefined;
  attemptsLeft: number;
}

export function cardPage(input: CardPageInput): string {
  const error = input.error ? `<p class="error">${e(input.error)}</p>` : '';
  const cardEntry = `<label>Numéro de carte <input name="card" inputmode="numeric" autocomplete="cc-number"></label>
<label>Date de validité (MM/AA) <input name="expiry" autocomplete="cc-exp"></label>`;
  const entry = input.storedPan
    ? `<p>Carte enregistrée : <strong>${e(maskPan(input.storedPan, input.scheme))}</strong></p>
<details><summary>Utiliser une autre carte</summary>${cardEntry}</details>`
    : cardEntry;
  const remember = input.canRemember
    ? '<label><input type="checkbox" name="remember" value="1"> Enregistrer cette carte</label>'
    : '';
  // Every page of the simulator lists its test cards; the test page says so as the bank's "TEST" icon does.
  const testCards = `<div class="test"><strong>${input.test ? 'TEST' : 'SANDBOX'}</strong> — cartes de test
(validité future, cryptogramme ${TEST_CVV}) :<ul>
<li>${TEST_CARDS.accepted} : acceptée</li>
<li>${TEST_CARDS.refused} : refusée</li>
<li>${TEST_CARDS.fraudFiltered} : bloquée par le filtrage (fraude)</li>
<li>${TEST_CARDS.fraudInformation} : acceptée, filtrage en information</li>
<li>tout autre numéro, ou un autre cryptogramme : refusée</li></ul></div>`;
  return layout(
    'Paiement sécurisé',
    `<p>Commande ${e(input.reference)} — montant ${e(input.amount)}</p>${error}
<form method="post" action="${e(input.action)}">
${entry}
<label>Cryptogramme visuel <input name="cvv" inputmode="numeric" autocomplete="cc-csc"></label>
${remember}
<p>Tentatives restantes : ${input.attemptsLeft}</p>
<button name="action" value="pay">Valider</button>
<button name="action" value="cancel">Annuler</button>
</form>
${testCards}`,
  );
}

export function receiptPage(input: {
  accepted: boolean;
  reference: string;
  amount: string;
  link: string;
  retryAction: string | undefined;
}): string {
  const retry = input.retryAction
    ? `<p><a href="${e(input.retryAction)}">Essayer une autre carte</a></p>`
    : '';
  return layout(
    input.accepted ? 'Paiement accepté' : 'Paiement refusé',
    `<p>Commande ${e(input.reference)} — montant ${e(input.amount)}</p>
<p><a href="${e(input.link)}">Retour au site du commerçant</a></p>${retry}`,
  );
}
