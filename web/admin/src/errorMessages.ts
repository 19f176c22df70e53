import type { ErrorCode, MarkerErrorCode } from '../../../src/shared/error-codes.js';

/**
 * Every error the studio can meet, in plain words and in both languages: what happened and what
 * to do next. Keyed by the API's `error.code` (src/shared/error-codes.ts), the marker's
 * `marker.errorCode` and the codes this app makes itself (`network_error`). The API keeps its
 * machine codes and English developer messages; this is what a person reads. The compiler
 * checks that every code has an entry in both languages; test/unit/error-messages.test.ts
 * checks that none is empty and none is stale.
 *
 * Self-contained on purpose (no import of i18n.ts): the unit test compiles it under Node.
 */

/** Codes the admin app makes itself, not the server. */
export const CLIENT_ERROR_CODES = ['network_error', 'unknown_error'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type CatalogueCode = ErrorCode | MarkerErrorCode | ClientErrorCode;

export interface ErrorText {
  /** What happened, for a person (no jargon). */
  message: string;
  /** What to do now. */
  next: string;
}

export type ErrorEntry = Readonly<Record<'ru' | 'en', ErrorText>>;

const entry = (ru: ErrorText, en: ErrorText): ErrorEntry => ({ ru, en });

const SUPPORT_RU = 'Если это повторяется, сообщите в поддержку код ниже.';
const SUPPORT_EN = 'If it happens again, tell support the code below.';

export const ERROR_MESSAGES = {
  // ---- the request itself ---------------------------------------------------------------
  bad_request: entry(
    {
      message: 'Программа не поняла запрос.',
      next: `Обновите страницу и попробуйте ещё раз. ${SUPPORT_RU}`,
    },
    {
      message: 'The app’s request was not understood.',
      next: `Reload the page and try again. ${SUPPORT_EN}`,
    },
  ),
  invalid_json: entry(
    {
      message: 'Программа отправила данные в неверном виде.',
      next: `Обновите страницу и попробуйте ещё раз. ${SUPPORT_RU}`,
    },
    {
      message: 'The app sent its data in a broken form.',
      next: `Reload the page and try again. ${SUPPORT_EN}`,
    },
  ),
  invalid_content_length: entry(
    { message: 'Данные дошли не полностью.', next: 'Проверьте интернет и отправьте ещё раз.' },
    {
      message: 'The data did not arrive complete.',
      next: 'Check the connection and send it again.',
    },
  ),
  validation_failed: entry(
    {
      message: 'Некоторые поля заполнены неверно.',
      next: 'Исправьте отмеченные поля и отправьте ещё раз.',
    },
    {
      message: 'Some fields are not filled in correctly.',
      next: 'Correct the highlighted fields and send again.',
    },
  ),
  invalid_multipart: entry(
    {
      message: 'Файлы дошли повреждёнными или не полностью.',
      next: 'Выберите файлы заново и загрузите ещё раз.',
    },
    {
      message: 'The files arrived damaged or incomplete.',
      next: 'Choose the files again and upload once more.',
    },
  ),
  request_timeout: entry(
    {
      message: 'Загрузка шла слишком долго и была прервана.',
      next: 'Проверьте интернет; при медленной связи загружайте файлы поменьше.',
    },
    {
      message: 'The upload took too long and was stopped.',
      next: 'Check the connection; on a slow line upload smaller files.',
    },
  ),
  payload_too_large: entry(
    {
      message: 'Отправлено слишком много данных за один раз.',
      next: 'Уменьшите файлы (или отправьте их по одному) и попробуйте снова.',
    },
    {
      message: 'Too much was sent at once.',
      next: 'Make the files smaller (or send them one at a time) and try again.',
    },
  ),
  unsupported_media_type: entry(
    {
      message: 'Программа отправила данные в виде, который сервер не принимает.',
      next: `Обновите страницу и попробуйте ещё раз. ${SUPPORT_RU}`,
    },
    {
      message: 'The app sent its data in a form the server does not accept.',
      next: `Reload the page and try again. ${SUPPORT_EN}`,
    },
  ),
  too_large: entry(
    {
      message: 'Файл слишком большой.',
      next: 'Уменьшите размер файла (для видео — короче или ниже качество) и загрузите снова.',
    },
    {
      message: 'The file is too large.',
      next: 'Make the file smaller (for a video: shorter or lower quality) and upload it again.',
    },
  ),
  range_not_satisfiable: entry(
    { message: 'Не удалось загрузить часть файла.', next: 'Обновите страницу.' },
    { message: 'Part of the file could not be loaded.', next: 'Reload the page.' },
  ),
  route_not_found: entry(
    {
      message: 'Такой страницы или действия нет.',
      next: 'Обновите страницу: возможно, программа обновилась.',
    },
    {
      message: 'This page or action does not exist.',
      next: 'Reload the page: the app may have been updated.',
    },
  ),
  not_found: entry(
    {
      message: 'Не найдено: возможно, это уже удалили.',
      next: 'Вернитесь к списку и обновите его.',
    },
    {
      message: 'Not found: it may have been deleted.',
      next: 'Go back to the list and refresh it.',
    },
  ),
  rate_limited: entry(
    {
      message: 'Слишком много действий за короткое время.',
      next: 'Подождите минуту и попробуйте снова.',
    },
    { message: 'Too many actions in a short time.', next: 'Wait a minute and try again.' },
  ),
  rate_limit_unavailable: entry(
    {
      message: 'Сервер временно не может принять запрос.',
      next: `Попробуйте через минуту. ${SUPPORT_RU}`,
    },
    {
      message: 'The server cannot take requests just now.',
      next: `Try again in a minute. ${SUPPORT_EN}`,
    },
  ),
  internal_error: entry(
    { message: 'На сервере что-то пошло не так.', next: `Попробуйте ещё раз. ${SUPPORT_RU}` },
    { message: 'Something went wrong on the server.', next: `Try again. ${SUPPORT_EN}` },
  ),

  // ---- signing in and accounts ------------------------------------------------------------
  unauthenticated: entry(
    { message: 'Вы не вошли в систему.', next: 'Войдите снова.' },
    { message: 'You are not signed in.', next: 'Sign in again.' },
  ),
  invalid_credentials: entry(
    {
      message: 'Неверное имя пользователя или пароль.',
      next: 'Проверьте раскладку клавиатуры и Caps Lock и введите снова.',
    },
    {
      message: 'Wrong username or password.',
      next: 'Check the keyboard language and Caps Lock, then type them again.',
    },
  ),
  invalid_token: entry(
    { message: 'Вход больше недействителен.', next: 'Войдите снова.' },
    { message: 'Your sign-in is no longer valid.', next: 'Sign in again.' },
  ),
  session_expired: entry(
    {
      message: 'Вы слишком долго не работали, и вход закончился.',
      next: 'Войдите снова — введённое на странице сохранится.',
    },
    {
      message: 'You were away too long and were signed out.',
      next: 'Sign in again — what you typed on the page is kept.',
    },
  ),
  csrf_failed: entry(
    {
      message: 'Страница устарела (например, вы вошли в другой вкладке).',
      next: 'Обновите страницу и повторите действие.',
    },
    {
      message: 'This page is out of date (for example, you signed in in another tab).',
      next: 'Reload the page and do it again.',
    },
  ),
  forbidden: entry(
    { message: 'Вашей роли это действие недоступно.', next: 'Попросите администратора студии.' },
    { message: 'Your role does not allow this.', next: 'Ask the studio’s administrator.' },
  ),
  metrics_unauthorized: entry(
    {
      message: 'Нет доступа к служебной статистике сервера.',
      next: 'Это настраивает администратор сервера.',
    },
    {
      message: 'No access to the server’s technical statistics.',
      next: 'The server’s administrator sets this up.',
    },
  ),
  invalid_username: entry(
    {
      message: 'Такое имя пользователя не подходит.',
      next: 'Используйте от 3 до 64 латинских букв, цифр, точки, дефиса или подчёркивания.',
    },
    {
      message: 'This username cannot be used.',
      next: 'Use 3 to 64 Latin letters, digits, dots, dashes or underscores.',
    },
  ),
  weak_password: entry(
    {
      message: 'Этот пароль слишком простой или короткий.',
      next: 'Придумайте пароль длиннее, не из частых и без имени пользователя.',
    },
    {
      message: 'This password is too simple or too short.',
      next: 'Choose a longer one that is not common and does not contain the username.',
    },
  ),
  username_taken: entry(
    { message: 'Это имя пользователя уже занято.', next: 'Выберите другое имя.' },
    { message: 'This username is already taken.', next: 'Choose another name.' },
  ),
  cannot_change_self: entry(
    {
      message: 'Нельзя отключить себя или изменить свою роль.',
      next: 'Попросите другого администратора.',
    },
    {
      message: 'You cannot disable yourself or change your own role.',
      next: 'Ask another administrator.',
    },
  ),
  api_key_revoked: entry(
    { message: 'Этот ключ доступа отозван.', next: 'Создайте новый ключ на странице «API-ключи».' },
    {
      message: 'This access key has been revoked.',
      next: 'Create a new key on the API keys page.',
    },
  ),
  api_key_expired: entry(
    {
      message: 'Срок действия ключа доступа истёк.',
      next: 'Создайте новый ключ на странице «API-ключи».',
    },
    { message: 'This access key has expired.', next: 'Create a new key on the API keys page.' },
  ),
  api_key_not_allowed: entry(
    {
      message: 'Это действие нельзя выполнить ключом доступа, только лично.',
      next: 'Войдите в программу под своим именем.',
    },
    {
      message: 'This cannot be done with an access key, only in person.',
      next: 'Sign in to the app with your own name.',
    },
  ),
  account_locked: entry(
    {
      message: 'Слишком много неудачных попыток входа: вход временно закрыт.',
      next: 'Подождите несколько минут или попросите администратора снять блокировку.',
    },
    {
      message: 'Too many failed sign-in attempts: signing in is closed for a while.',
      next: 'Wait a few minutes or ask an administrator to lift the lock.',
    },
  ),
  busy: entry(
    { message: 'Сервер сейчас занят.', next: 'Попробуйте через несколько секунд.' },
    { message: 'The server is busy right now.', next: 'Try again in a few seconds.' },
  ),
  two_factor_code_invalid: entry(
    {
      message: 'Код не подошёл.',
      next: 'Введите текущий код из приложения-аутентификатора, резервный код или код из письма. Каждый код действует один раз.',
    },
    {
      message: 'The code is not right.',
      next: 'Enter the current code from your authenticator app, a backup code or the code from the e-mail. Each code works once.',
    },
  ),
  two_factor_challenge_invalid: entry(
    {
      message: 'Время на второй шаг входа истекло.',
      next: 'Войдите заново с именем и паролем.',
    },
    {
      message: 'The second step of signing in has expired.',
      next: 'Sign in again with your username and password.',
    },
  ),
  two_factor_enrolment_required: entry(
    {
      message: 'Сначала включите двухфакторный вход.',
      next: 'Настройте приложение-аутентификатор на странице учётной записи: без этого другие разделы закрыты.',
    },
    {
      message: 'Turn on two-factor sign-in first.',
      next: 'Set up an authenticator app on your account page: the rest of the app stays closed until then.',
    },
  ),
  two_factor_already_enabled: entry(
    {
      message: 'Двухфакторный вход уже включён.',
      next: 'Чтобы сменить устройство, отключите его и настройте заново.',
    },
    {
      message: 'Two-factor sign-in is already on.',
      next: 'To switch to another device, turn it off and set it up again.',
    },
  ),
  two_factor_not_enabled: entry(
    {
      message: 'Двухфакторный вход не включён.',
      next: 'Сначала настройте приложение-аутентификатор.',
    },
    {
      message: 'Two-factor sign-in is not on.',
      next: 'Set up an authenticator app first.',
    },
  ),
  two_factor_setup_missing: entry(
    {
      message: 'Настройка не начата или уже завершена.',
      next: 'Начните настройку заново и отсканируйте новый QR-код.',
    },
    {
      message: 'No setup is in progress.',
      next: 'Start the setup again and scan the new QR code.',
    },
  ),
  two_factor_password_required: entry(
    {
      message: 'Чтобы отключить двухфакторный вход, нужен пароль.',
      next: 'Введите пароль от учётной записи вместе с кодом.',
    },
    {
      message: 'The password is needed to turn two-factor sign-in off.',
      next: 'Enter your account password together with the code.',
    },
  ),
  email_code_rate_limited: entry(
    {
      message: 'Код по почте уже отправлен недавно.',
      next: 'Проверьте почту (и папку «Спам») или подождите минуту перед новой отправкой.',
    },
    {
      message: 'A code was e-mailed a moment ago.',
      next: 'Check your mail (and the spam folder) or wait a minute before asking again.',
    },
  ),
  email_code_unavailable: entry(
    {
      message: 'Код по почте отправить нельзя.',
      next: 'На сервере не настроена почта или у учётной записи нет адреса. Используйте приложение или резервный код.',
    },
    {
      message: 'A code cannot be sent by e-mail.',
      next: 'The server has no mail set up or the account has no address. Use your app or a backup code.',
    },
  ),

  // ---- single sign-on (also the login page's `?ssoError=`) ---------------------------------
  sso_provider_unknown: entry(
    {
      message: 'Такой способ входа на сервере не настроен.',
      next: 'Выберите другой способ входа на странице входа.',
    },
    {
      message: 'This way of signing in is not set up on the server.',
      next: 'Choose another way to sign in on the login page.',
    },
  ),
  sso_provider_unavailable: entry(
    {
      message: 'Служба входа сейчас не отвечает.',
      next: `Попробуйте через несколько минут или войдите по паролю. ${SUPPORT_RU}`,
    },
    {
      message: 'The sign-in service is not answering just now.',
      next: `Try again in a few minutes or sign in with your password. ${SUPPORT_EN}`,
    },
  ),
  sso_state_invalid: entry(
    {
      message: 'Вход не удалось связать с этим браузером (ссылка устарела или изменена).',
      next: 'Начните вход заново с этой страницы, в том же браузере.',
    },
    {
      message: 'The sign-in could not be tied to this browser (the link expired or was changed).',
      next: 'Start signing in again from this page, in the same browser.',
    },
  ),
  sso_failed: entry(
    {
      message: 'Служба входа не подтвердила вход.',
      next: 'Попробуйте ещё раз или войдите по паролю.',
    },
    {
      message: 'The sign-in service did not confirm the sign-in.',
      next: 'Try again or sign in with your password.',
    },
  ),
  sso_email_unverified: entry(
    {
      message: 'Служба входа не подтвердила ваш адрес электронной почты.',
      next: 'Подтвердите адрес у этой службы или войдите по паролю и привяжите её на странице учётной записи.',
    },
    {
      message: 'The sign-in service has not verified your e-mail address.',
      next: 'Verify the address there, or sign in with your password and link it on your account page.',
    },
  ),
  sso_no_account: entry(
    {
      message: 'Для этого входа нет учётной записи в студии.',
      next: 'Попросите администратора создать вам учётную запись с тем же адресом почты.',
    },
    {
      message: 'There is no studio account for this sign-in.',
      next: 'Ask an administrator to create an account for you with the same e-mail address.',
    },
  ),
  sso_link_conflict: entry(
    {
      message:
        'Этот вход уже привязан к другой учётной записи, или у учётной записи уже есть другой вход этой службы.',
      next: 'Войдите как обычно и проверьте привязанные входы на странице учётной записи.',
    },
    {
      message:
        'This sign-in belongs to another account, or the account already has another one from this service.',
      next: 'Sign in as usual and check the linked sign-ins on your account page.',
    },
  ),
  sso_account_disabled: entry(
    { message: 'Учётная запись отключена.', next: 'Обратитесь к администратору студии.' },
    { message: 'This account is disabled.', next: 'Contact the studio’s administrator.' },
  ),
  sso_last_sign_in_method: entry(
    {
      message: 'Тогда войти в учётную запись будет нечем.',
      next: 'Сначала привяжите другой вход или оставьте вход по паролю.',
    },
    {
      message: 'That would leave no way to sign in to the account.',
      next: 'Link another sign-in first, or keep the password login.',
    },
  ),

  // ---- studio work --------------------------------------------------------------------------
  phone_taken: entry(
    {
      message: 'Клиент с этим телефоном уже есть.',
      next: 'Найдите его в списке клиентов или укажите другой номер.',
    },
    {
      message: 'A client with this phone number already exists.',
      next: 'Find them in the client list or enter another number.',
    },
  ),
  idempotency_key_reused: entry(
    {
      message: 'Этот заказ уже отправлялся с другими данными или файлами.',
      next: 'Уберите строку из списка и добавьте её заново, затем отправьте.',
    },
    {
      message: 'This order was already sent with other details or files.',
      next: 'Remove the item from the list, add it again, then send it.',
    },
  ),
  marker_in_progress: entry(
    {
      message: 'Метка для этого портрета ещё готовится.',
      next: 'Подождите, пока она будет готова (обычно меньше минуты).',
    },
    {
      message: 'The marker for this portrait is still being prepared.',
      next: 'Wait until it is ready (usually under a minute).',
    },
  ),
  marker_not_ready: entry(
    {
      message: 'Портрет ещё не готов к печати: метка не готова.',
      next: 'Дождитесь, пока статус станет «Готово», затем печатайте.',
    },
    {
      message: 'The portrait cannot be printed yet: its marker is not ready.',
      next: 'Wait until the status says ready, then print.',
    },
  ),
  video_not_ready: entry(
    {
      message: 'Видео ещё обрабатывается.',
      next: 'Подождите, пока оно будет готово, и повторите.',
    },
    {
      message: 'The video is still being processed.',
      next: 'Wait until it is ready, then try again.',
    },
  ),
  backup_not_configured: entry(
    {
      message: 'Резервные копии не настроены на сервере.',
      next: 'Администратор сервера должен задать пароль для копий (BACKUP_PASSPHRASE).',
    },
    {
      message: 'Backups are not set up on the server.',
      next: 'The server’s administrator needs to set a backup passphrase (BACKUP_PASSPHRASE).',
    },
  ),
  backup_in_progress: entry(
    { message: 'Резервная копия уже создаётся.', next: 'Дождитесь её окончания.' },
    { message: 'A backup is already being made.', next: 'Wait for it to finish.' },
  ),

  // ---- photos and videos --------------------------------------------------------------------
  unsupported_media: entry(
    {
      message: 'Этот файл не фотография или видео, которые мы умеем читать.',
      next: 'Сохраните фото как JPEG или PNG, видео — как MP4, и загрузите снова.',
    },
    {
      message: 'This file is not a photo or video we can read.',
      next: 'Save the photo as JPEG or PNG, the video as MP4, and upload again.',
    },
  ),
  image_too_small: entry(
    {
      message: 'Фото слишком маленькое: на печати оно будет нечётким, и телефон его не узнает.',
      next: 'Возьмите оригинал с камеры (не копию из мессенджера) и загрузите снова.',
    },
    {
      message: 'The photo is too small: it would print blurry and phones would not recognise it.',
      next: 'Use the camera’s original (not a copy from a messenger) and upload again.',
    },
  ),
  image_too_large: entry(
    {
      message: 'Фото слишком большое по числу точек.',
      next: 'Уменьшите его (например, до 8000 точек по длинной стороне) и загрузите снова.',
    },
    {
      message: 'The photo has too many pixels.',
      next: 'Make it smaller (for example 8000 pixels on the long side) and upload again.',
    },
  ),
  image_corrupt: entry(
    {
      message: 'Фото повреждено и не открывается.',
      next: 'Откройте его на компьютере, сохраните заново как JPEG и загрузите снова.',
    },
    {
      message: 'The photo is damaged and does not open.',
      next: 'Open it on a computer, save it again as JPEG and upload it once more.',
    },
  ),
  video_no_video_stream: entry(
    {
      message: 'В этом файле нет изображения — только звук или ничего.',
      next: 'Выберите сам видеофайл (MP4, MOV или WebM).',
    },
    {
      message: 'This file has no picture — only sound, or nothing.',
      next: 'Choose the video file itself (MP4, MOV or WebM).',
    },
  ),
  video_invalid_duration: entry(
    {
      message: 'Не удалось понять длительность видео.',
      next: 'Сохраните видео заново (например, экспортом в MP4) и загрузите снова.',
    },
    {
      message: 'The video’s length cannot be read.',
      next: 'Save the video again (for example, export to MP4) and upload it once more.',
    },
  ),
  video_too_long: entry(
    {
      message: 'Видео слишком длинное.',
      next: 'Обрежьте его (обычно хватает 10–30 секунд) и загрузите снова.',
    },
    {
      message: 'The video is too long.',
      next: 'Trim it (10–30 seconds is usually enough) and upload again.',
    },
  ),
  video_bad_dimensions: entry(
    {
      message: 'У видео необычный размер кадра, который мы не можем показать.',
      next: 'Сохраните видео в обычном размере (например, 1080p) и загрузите снова.',
    },
    {
      message: 'The video’s frame size is unusual and cannot be shown.',
      next: 'Save it at a normal size (for example 1080p) and upload again.',
    },
  ),
  video_truncated: entry(
    {
      message: 'Видео загружено не полностью или обрезано.',
      next: 'Скопируйте файл заново с телефона или камеры и загрузите снова.',
    },
    {
      message: 'The video is incomplete or cut off.',
      next: 'Copy the file again from the phone or camera and upload it once more.',
    },
  ),
  video_corrupt: entry(
    {
      message: 'Видео повреждено и не воспроизводится.',
      next: 'Проверьте, что оно играет на компьютере, сохраните заново как MP4 и загрузите.',
    },
    {
      message: 'The video is damaged and does not play.',
      next: 'Check that it plays on a computer, save it again as MP4 and upload it.',
    },
  ),
  video_duration_mismatch: entry(
    {
      message: 'Видео короче, чем указано в файле: похоже, оно повреждено.',
      next: 'Сохраните видео заново как MP4 и загрузите снова.',
    },
    {
      message: 'The video is shorter than its file claims: it looks damaged.',
      next: 'Save the video again as MP4 and upload it once more.',
    },
  ),
  video_transcode_failed: entry(
    {
      message: 'Не удалось подготовить видео для телефонов.',
      next: 'Сохраните видео как MP4 (H.264) и загрузите снова.',
    },
    {
      message: 'The video could not be prepared for phones.',
      next: 'Save the video as MP4 (H.264) and upload it again.',
    },
  ),
  video_poster_failed: entry(
    {
      message: 'Не удалось сделать обложку для видео.',
      next: 'Загрузите видео ещё раз; если не поможет — сохраните его заново как MP4.',
    },
    {
      message: 'A cover picture for the video could not be made.',
      next: 'Upload the video again; if that does not help, save it again as MP4.',
    },
  ),
  print_size_invalid: entry(
    {
      message: 'Такой размер печати не подходит.',
      next: 'Выберите готовый формат или укажите ширину и высоту от 50 до 500 мм.',
    },
    {
      message: 'This print size cannot be used.',
      next: 'Choose a ready format or enter a width and height from 50 to 500 mm.',
    },
  ),
  mail_not_configured: entry(
    {
      message: 'Отправка писем не настроена на сервере.',
      next: 'Скопируйте сообщение и отправьте его в мессенджере. Чтобы отправлять письма, администратор сервера задаёт SMTP_URL и MAIL_FROM.',
    },
    {
      message: 'E-mail is not set up on the server.',
      next: 'Copy the message and send it in a messenger. To send e-mails, the server’s administrator sets SMTP_URL and MAIL_FROM.',
    },
  ),
  client_email_missing: entry(
    {
      message: 'У клиента не указана электронная почта.',
      next: 'Впишите адрес в поле письма или добавьте его в карточку клиента.',
    },
    {
      message: 'The client has no e-mail address.',
      next: 'Type an address into the e-mail field or add it to the client’s details.',
    },
  ),
  mail_send_failed: entry(
    {
      message: 'Почтовый сервер не принял письмо.',
      next: 'Проверьте адрес и попробуйте ещё раз; если не выходит, отправьте ссылку в мессенджере.',
    },
    {
      message: 'The mail server did not accept the e-mail.',
      next: 'Check the address and try again; if it still fails, send the link in a messenger.',
    },
  ),
  date_range_invalid: entry(
    {
      message: 'Такой период не подходит.',
      next: 'Укажите начало и конец периода (конец не раньше начала), не длиннее 366 дней.',
    },
    {
      message: 'This date range cannot be used.',
      next: 'Choose a start and an end (the end not before the start), at most 366 days apart.',
    },
  ),
  ffmpeg_unavailable: entry(
    {
      message: 'На сервере не работает программа обработки видео.',
      next: `Сообщите администратору сервера. ${SUPPORT_RU}`,
    },
    {
      message: 'The server’s video tool is not working.',
      next: `Tell the server’s administrator. ${SUPPORT_EN}`,
    },
  ),
  media_timeout: entry(
    {
      message: 'Обработка файла заняла слишком много времени.',
      next: 'Попробуйте файл поменьше или повторите позже.',
    },
    {
      message: 'Processing the file took too long.',
      next: 'Try a smaller file or try again later.',
    },
  ),
  media_aborted: entry(
    { message: 'Обработка файла была прервана.', next: 'Загрузите файл ещё раз.' },
    { message: 'Processing the file was interrupted.', next: 'Upload the file again.' },
  ),

  // ---- why a marker could not be made (marker.errorCode) -------------------------------------
  image_unreadable: entry(
    {
      message: 'Не удалось прочитать фото для метки.',
      next: 'Сохраните фото как JPEG или PNG и замените его.',
    },
    {
      message: 'The photo could not be read to make the marker.',
      next: 'Save the photo as JPEG or PNG and replace it.',
    },
  ),
  too_few_features: entry(
    {
      message: 'На фото слишком мало деталей: телефон не сможет узнать его на печати.',
      next: 'Возьмите более чёткое фото с деталями и контрастом (волосы, узоры одежды, фон) и замените его.',
    },
    {
      message: 'The photo has too little detail: phones will not recognise it in print.',
      next: 'Use a sharper photo with detail and contrast (hair, clothing patterns, background) and replace it.',
    },
  ),
  generation_failed: entry(
    {
      message: 'Не получилось сделать метку для этого фото.',
      next: 'Нажмите «Пересоздать метку»; если снова не выйдет — замените фото на более чёткое.',
    },
    {
      message: 'The marker for this photo could not be made.',
      next: 'Press “Regenerate marker”; if it fails again, replace the photo with a sharper one.',
    },
  ),
  invalid_marker: entry(
    {
      message: 'Метка получилась с ошибкой, и мы её не сохранили.',
      next: 'Нажмите «Пересоздать метку»; если снова не выйдет — замените фото.',
    },
    {
      message: 'The marker came out broken, so it was not kept.',
      next: 'Press “Regenerate marker”; if it fails again, replace the photo.',
    },
  ),
  self_test_failed: entry(
    {
      message: 'Проверка показала, что телефон не узнаёт это фото.',
      next: 'Замените фото на более чёткое и контрастное, с крупными деталями.',
    },
    {
      message: 'Our check showed that phones do not recognise this photo.',
      next: 'Replace it with a sharper, more contrasted photo with large details.',
    },
  ),
  self_test_error: entry(
    { message: 'Не удалось проверить метку.', next: 'Нажмите «Пересоздать метку» чуть позже.' },
    {
      message: 'The marker could not be checked.',
      next: 'Press “Regenerate marker” a little later.',
    },
  ),
  timeout: entry(
    {
      message: 'Метка готовилась слишком долго: сервер был занят.',
      next: 'Нажмите «Пересоздать метку» чуть позже.',
    },
    {
      message: 'The marker took too long: the server was busy.',
      next: 'Press “Regenerate marker” a little later.',
    },
  ),
  aborted: entry(
    {
      message: 'Создание метки было прервано (например, сервер перезапускался).',
      next: 'Нажмите «Пересоздать метку».',
    },
    {
      message: 'Making the marker was interrupted (for example, the server restarted).',
      next: 'Press “Regenerate marker”.',
    },
  ),

  // ---- made by this app -----------------------------------------------------------------------
  network_error: entry(
    { message: 'Нет связи с сервером.', next: 'Проверьте интернет и попробуйте снова.' },
    { message: 'The server cannot be reached.', next: 'Check the connection and try again.' },
  ),
  unknown_error: entry(
    { message: 'Что-то пошло не так.', next: `Попробуйте ещё раз. ${SUPPORT_RU}` },
    { message: 'Something went wrong.', next: `Try again. ${SUPPORT_EN}` },
  ),
} as const satisfies Record<CatalogueCode, ErrorEntry>;

/** The catalogue has words for this code. */
export const isCatalogued = (code: string): code is CatalogueCode =>
  Object.hasOwn(ERROR_MESSAGES, code);

/** Next to a form field the server refused (`validation_failed` names the field, not why). */
export const FIELD_PROBLEM: Readonly<Record<'ru' | 'en', string>> = {
  ru: 'Проверьте это поле: значение не подходит.',
  en: 'Check this field: the value cannot be used.',
};

/** The words for a code in a language; a code this app does not know yet gets the general text. */
export function errorText(code: string, locale: 'ru' | 'en'): ErrorText {
  return (isCatalogued(code) ? ERROR_MESSAGES[code] : ERROR_MESSAGES.unknown_error)[locale];
}
