/**
 * Every `error.code` the API answers with (`{ error: { code, message, details? } }`), in one
 * list: `AppError` takes only these, so a typo or a near-duplicate fails the typecheck instead
 * of reaching clients. Add a code here before throwing it; renaming one breaks clients.
 *
 * Codes that look alike but mean different things:
 * - `unsupported_media_type` (415): the request's Content-Type is not what the route accepts
 *   (not multipart/form-data, or a body type Fastify has no parser for);
 *   `unsupported_media` (415): the uploaded file itself is of a type we do not take (sniffed
 *   from its bytes: a GIF for a portrait, HTML named .mp4, HEIC this server cannot decode…).
 * - `payload_too_large` (413): the whole request body is over the server's body limit;
 *   `too_large` (413): one file part of an upload is over its own limit;
 *   `image_too_large` (413): the photo decodes to more pixels than allowed.
 */
export const ERROR_CODES = [
  // Request shape (HTTP layer and Fastify's own errors)
  'bad_request',
  'invalid_json',
  'invalid_content_length',
  'validation_failed',
  'invalid_multipart',
  'request_timeout',
  'payload_too_large',
  'unsupported_media_type',
  'too_large',
  'range_not_satisfiable',
  'route_not_found',
  'not_found',
  'rate_limited',
  'rate_limit_unavailable',
  'internal_error',
  // Authentication and users
  'unauthenticated',
  'invalid_credentials',
  'invalid_token',
  'session_expired',
  'csrf_failed',
  'forbidden',
  'metrics_unauthorized',
  'invalid_username',
  'weak_password',
  'username_taken',
  'cannot_change_self',
  'api_key_revoked',
  'api_key_expired',
  'api_key_not_allowed',
  'account_locked',
  'busy',
  // Two-factor sign-in (issue 13)
  'two_factor_code_invalid',
  'two_factor_challenge_invalid',
  'two_factor_enrolment_required',
  'two_factor_already_enabled',
  'two_factor_not_enabled',
  'two_factor_setup_missing',
  // Turning 2FA off without the password on an account that signs in with one
  'two_factor_password_required',
  'email_code_rate_limited',
  'email_code_unavailable',
  // Single sign-on (issue 13): also the `ssoError` of the callback's redirect to the admin app
  'sso_provider_unknown',
  'sso_provider_unavailable',
  'sso_state_invalid',
  'sso_failed',
  'sso_email_unverified',
  'sso_no_account',
  'sso_link_conflict',
  'sso_account_disabled',
  'sso_last_sign_in_method',
  // Domain conflicts
  'phone_taken',
  'marker_in_progress',
  'marker_not_ready',
  'video_not_ready',
  // POST /api/orders: an Idempotency-Key already used for another order
  'idempotency_key_reused',
  // Backups: not set up (no BACKUP_PASSPHRASE), or a create already running
  'backup_not_configured',
  'backup_in_progress',
  // Uploaded media the server refuses (permanent: a retry of the same file fails again)
  'unsupported_media',
  'image_too_small',
  'image_too_large',
  'image_corrupt',
  'video_no_video_stream',
  'video_invalid_duration',
  'video_too_long',
  'video_bad_dimensions',
  'video_truncated',
  'video_corrupt',
  'video_duration_mismatch',
  'video_transcode_failed',
  'video_poster_failed',
  // Print PDF: custom size missing or outside 50–500 mm
  'print_size_invalid',
  // E-mail: SMTP_URL unset (409), no address to send to (422), the mail server refused (502)
  'mail_not_configured',
  'client_email_missing',
  'mail_send_failed',
  // Analytics: a from–to range that does not add up (details.reason says why)
  'date_range_invalid',
  // Media tools (ffmpeg/ffprobe) unavailable or interrupted
  'ffmpeg_unavailable',
  'media_timeout',
  'media_aborted',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a marker build failed: `marker.errorCode` of a portrait in the API (not an error answer).
 * `image_too_small` means the same as the upload code: the photo's shorter side is too short.
 */
export const MARKER_ERROR_CODES = [
  'image_unreadable',
  'image_too_small',
  'too_few_features',
  'generation_failed',
  'invalid_marker',
  'self_test_failed',
  'self_test_error',
  'timeout',
  'aborted',
] as const;

export type MarkerErrorCode = (typeof MARKER_ERROR_CODES)[number];
