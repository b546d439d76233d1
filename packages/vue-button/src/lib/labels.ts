import type { Recurrence } from '../types';
import type { PaymentButtonError } from './api';

export interface Labels {
  option: string;
  payWith: string;
  pay: string;
  loadingMethods: string;
  noMethod: string;
  redirecting: string;
  methodsFailed: string;
  startFailed: string;
  networkError: string;
  waiting: string;
  stillWaiting: string;
  accepted: string;
  declined: string;
  refunded: string;
  statusFailed: string;
  continue: string;
  tryAgain: string;
  backToShop: string;
  recurrence(recurrence: Recurrence): string;
}

export type Language = 'en' | 'fr' | 'pl';

type Unit = Recurrence['interval'];

const en: Labels = {
  option: 'Option',
  payWith: 'Pay with',
  pay: 'Pay',
  loadingMethods: 'Loading payment methods…',
  noMethod: 'No payment method is available for this purchase.',
  redirecting: 'Redirecting to the payment page…',
  methodsFailed: 'The payment methods could not be loaded',
  startFailed: 'The payment could not be started',
  networkError: 'The payment service cannot be reached. Please try again.',
  waiting: 'Waiting for the payment confirmation…',
  stillWaiting: 'The confirmation is taking longer than usual. You will be notified as soon as it arrives.',
  accepted: 'Payment accepted. Thank you!',
  declined: 'Payment declined.',
  refunded: 'Payment refunded.',
  statusFailed: 'The payment status could not be read',
  continue: 'Continue',
  tryAgain: 'Try again',
  backToShop: 'Back to the shop',
  recurrence({ interval, every, cycles }) {
    const unit = every === 1 ? interval : `${every} ${interval}s`;
    const times = cycles ? `, ${cycles} ${cycles === 1 ? 'payment' : 'payments'}` : '';
    return `every ${unit}${times}`;
  },
};

const frUnits: Record<Unit, [string, string]> = {
  day: ['tous les jours', 'jours'],
  week: ['toutes les semaines', 'semaines'],
  month: ['tous les mois', 'mois'],
  year: ['tous les ans', 'ans'],
};

const fr: Labels = {
  option: 'Option',
  payWith: 'Payer avec',
  pay: 'Payer',
  loadingMethods: 'Chargement des moyens de paiement…',
  noMethod: 'Aucun moyen de paiement n’est disponible pour cet achat.',
  redirecting: 'Redirection vers la page de paiement…',
  methodsFailed: 'Les moyens de paiement n’ont pas pu être chargés',
  startFailed: 'Le paiement n’a pas pu être lancé',
  networkError: 'Le service de paiement est injoignable. Veuillez réessayer.',
  waiting: 'En attente de la confirmation du paiement…',
  stillWaiting: 'La confirmation prend plus de temps que d’habitude. Vous serez prévenu dès sa réception.',
  accepted: 'Paiement accepté. Merci !',
  declined: 'Paiement refusé.',
  refunded: 'Paiement remboursé.',
  statusFailed: 'L’état du paiement n’a pas pu être lu',
  continue: 'Continuer',
  tryAgain: 'Réessayer',
  backToShop: 'Retour à la boutique',
  recurrence({ interval, every, cycles }) {
    const [one, many] = frUnits[interval];
    const unit = every === 1 ? one : `${one.split(' ')[0]} les ${every} ${many}`;
    const times = cycles ? `, ${cycles} ${cycles === 1 ? 'paiement' : 'paiements'}` : '';
    return `${unit}${times}`;
  },
};

// Polish nouns take three plural forms (Intl.PluralRules: one / few / many).
const plUnits: Record<Unit, { one: string; few: string; many: string }> = {
  day: { one: 'co dzień', few: 'dni', many: 'dni' },
  week: { one: 'co tydzień', few: 'tygodnie', many: 'tygodni' },
  month: { one: 'co miesiąc', few: 'miesiące', many: 'miesięcy' },
  year: { one: 'co rok', few: 'lata', many: 'lat' },
};
const plPlural = new Intl.PluralRules('pl');
const plForm = (n: number) => (plPlural.select(n) === 'few' ? 'few' : 'many');

const pl: Labels = {
  option: 'Opcja',
  payWith: 'Zapłać przez',
  pay: 'Zapłać',
  loadingMethods: 'Ładowanie metod płatności…',
  noMethod: 'Brak dostępnej metody płatności dla tego zakupu.',
  redirecting: 'Przekierowanie do strony płatności…',
  methodsFailed: 'Nie udało się wczytać metod płatności',
  startFailed: 'Nie udało się rozpocząć płatności',
  networkError: 'Brak połączenia z serwisem płatności. Spróbuj ponownie.',
  waiting: 'Oczekiwanie na potwierdzenie płatności…',
  stillWaiting: 'Potwierdzenie trwa dłużej niż zwykle. Powiadomimy Cię, gdy tylko nadejdzie.',
  accepted: 'Płatność przyjęta. Dziękujemy!',
  declined: 'Płatność odrzucona.',
  refunded: 'Płatność zwrócona.',
  statusFailed: 'Nie udało się odczytać stanu płatności',
  continue: 'Dalej',
  tryAgain: 'Spróbuj ponownie',
  backToShop: 'Powrót do sklepu',
  recurrence({ interval, every, cycles }) {
    const forms = plUnits[interval];
    const unit = every === 1 ? forms.one : `co ${every} ${forms[plForm(every)]}`;
    const times = cycles ? `, ${cycles} ${cycles === 1 ? 'płatność' : 'płatności'}` : '';
    return `${unit}${times}`;
  },
};

const catalogs: Record<Language, Labels> = { en, fr, pl };

/** `fr-CA` → `fr`; anything we do not translate falls back to English. */
export function resolveLanguage(language: string | undefined): Language {
  const primary = (language ?? 'en').toLowerCase().split(/[-_]/)[0];
  return primary === 'fr' || primary === 'pl' ? primary : 'en';
}

export function labelsFor(language: string | undefined, overrides: Partial<Labels> = {}): Labels {
  return { ...catalogs[resolveLanguage(language)], ...overrides };
}

/** A failure as the buyer reads it: the network's own sentence, or `<prefix>: <message> (<code>)`. */
export function explain(error: PaymentButtonError, prefix: string, labels: Labels): string {
  return error.code === 'NETWORK' ? labels.networkError : `${prefix}: ${error.message} (${error.code})`;
}
