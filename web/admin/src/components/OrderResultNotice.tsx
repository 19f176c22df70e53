import type { OrderAccepted, PortraitDetail } from '../api';
import { errorText } from '../errorMessages';
import { useLocale, type Locale } from '../i18n';
import { Icon } from './Icon';
import { Notice } from './ErrorNotice';

const TEXT = {
  en: {
    created: (number: string, client: string, isNew: boolean) =>
      isNew
        ? `Order ${number} created with a new client, ${client}.`
        : `Order ${number} created for the existing client ${client} (same phone).`,
    failed: (number: string) => `Order ${number} is saved, but the portrait is not ready:`,
    videoFailed: {
      message: 'the video could not be prepared for phones.',
      next: 'Add another video (MP4) below and make it active.',
    },
    photoFailed: {
      message: 'the photo could not be prepared.',
      next: 'Replace the photo with a JPEG or PNG.',
    },
    code: 'code',
  },
  ru: {
    created: (number: string, client: string, isNew: boolean) =>
      isNew
        ? `Заказ ${number} создан, новый клиент — ${client}.`
        : `Заказ ${number} создан для клиента ${client} (тот же телефон).`,
    failed: (number: string) => `Заказ ${number} сохранён, но портрет не готов:`,
    videoFailed: {
      message: 'видео не удалось подготовить для телефонов.',
      next: 'Добавьте ниже другое видео (MP4) и сделайте его активным.',
    },
    photoFailed: {
      message: 'фото не удалось подготовить.',
      next: 'Замените фото на JPEG или PNG.',
    },
    code: 'код',
  },
} satisfies Record<Locale, unknown>;

/** Why the new order's portrait failed, in words, with the marker's code for support. */
function failureOf(portrait: PortraitDetail, locale: Locale) {
  const marker = portrait.marker;
  if (marker?.status === 'failed') {
    const code = marker.errorCode ?? 'generation_failed';
    const words = errorText(code, locale);
    // Here the catalogue's sentence follows a colon.
    const message = words.message.charAt(0).toLowerCase() + words.message.slice(1);
    return { message, next: words.next, code };
  }
  if (portrait.activeVideo?.status === 'failed') {
    return { ...TEXT[locale].videoFailed, code: null };
  }
  return { ...TEXT[locale].photoFailed, code: null };
}

/**
 * The answer to "did my new order work?": a success only while nothing failed. When the
 * portrait fails (a flat photo, a broken video) the banner says so in plain words, never a
 * green "created" above a failure.
 */
export function OrderResultNotice({
  accepted,
  portrait,
}: {
  accepted: OrderAccepted;
  portrait: PortraitDetail | undefined;
}) {
  const locale = useLocale();
  const text = TEXT[locale];
  if (portrait?.status !== 'failed') {
    return (
      <Notice tone="success">
        {text.created(accepted.order.number, accepted.client.name, accepted.client.created)}
      </Notice>
    );
  }
  const failure = failureOf(portrait, locale);
  return (
    <div className="notice notice-error" role="alert" data-testid="order-failed">
      <Icon name="alert" />
      <div>
        <strong>{text.failed(accepted.order.number)}</strong>{' '}
        <span className="error-message">{failure.message}</span>{' '}
        <span className="error-next">{failure.next}</span>
        {failure.code !== null && (
          <small className="code error-code">
            {' '}
            ({text.code}: {failure.code})
          </small>
        )}
      </div>
    </div>
  );
}
