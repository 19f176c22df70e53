import { useLocale, type Localized } from '../../i18n';

/** Russian nouns after a number: 1 клиент, 2 клиента, 5 клиентов. */
function ruCount(n: number, one: string, few: string, many: string): string {
  const form = new Intl.PluralRules('ru-RU').select(n);
  return `${n} ${form === 'one' ? one : form === 'few' ? few : many}`;
}

export interface PhoneCollisionsText {
  title: (clients: number) => string;
  lead: string;
  portraits: (n: number) => string;
  oldNumber: (phone: string) => string;
  merge: string;
  mergeTitle: string;
  mergeMessage: (from: string, into: string) => string;
  mergeConfirm: string;
  merged: (from: string, into: string) => string;
  list: string;
}

const EN: PhoneCollisionsText = {
  title: (n) =>
    n === 1
      ? '1 client has the same phone number as another client'
      : `${n} clients have the same phone number as another client`,
  lead:
    'Phone numbers are now stored in one format, so these cards turned out to be the same ' +
    'number. They were not merged automatically: check that they are one person, then merge ' +
    'them (or correct the number on the client’s page).',
  portraits: (n) => `(${n} ${n === 1 ? 'portrait' : 'portraits'})`,
  oldNumber: (phone) => `written as ${phone}`,
  merge: 'Merge',
  mergeTitle: 'Merge the clients?',
  mergeMessage: (from, into) =>
    `The portraits and orders of ${from} move to ${into}, then the card of ${from} is deleted. ` +
    'This cannot be undone.',
  mergeConfirm: 'Merge',
  merged: (from, into) => `${from} was merged into ${into}.`,
  list: 'Clients with the same phone number',
};

const RU: PhoneCollisionsText = {
  title: (n) =>
    n === 1
      ? 'У 1 клиента тот же номер телефона, что у другого клиента'
      : `У ${ruCount(n, 'клиента', 'клиентов', 'клиентов')} тот же номер телефона, что у других клиентов`,
  lead:
    'Номера телефонов теперь хранятся в одном формате, и эти карточки оказались одним номером. ' +
    'Автоматически они не объединены: проверьте, что это один человек, и объедините их (или ' +
    'исправьте номер на странице клиента).',
  portraits: (n) => `(${ruCount(n, 'портрет', 'портрета', 'портретов')})`,
  oldNumber: (phone) => `записан как ${phone}`,
  merge: 'Объединить',
  mergeTitle: 'Объединить клиентов?',
  mergeMessage: (from, into) =>
    `Портреты и заказы клиента «${from}» перейдут к клиенту «${into}», затем карточка «${from}» ` +
    'будет удалена. Отменить это нельзя.',
  mergeConfirm: 'Объединить',
  merged: (from, into) => `Клиент «${from}» объединён с клиентом «${into}».`,
  list: 'Клиенты с одинаковым номером',
};

const TEXTS: Localized<PhoneCollisionsText> = { en: EN, ru: RU };

/** The words of the phone-collisions notice on the Clients page, in the chosen language. */
export function usePhoneCollisionsText(): PhoneCollisionsText {
  return TEXTS[useLocale()];
}
