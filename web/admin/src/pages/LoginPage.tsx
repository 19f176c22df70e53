import { ApiError, type SecondFactorMethod } from '../api';
import { isCatalogued } from '../errorMessages';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { LoginForm } from '../components/LoginForm';
import { noticeText, useShellText } from '../components/shell/shellText';
import { SsoButtons } from '../components/two-factor/SsoButtons';
import { useTwoFactorText } from '../components/two-factor/twoFactorText';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';

const METHODS: readonly SecondFactorMethod[] = ['totp', 'backup_code', 'email'];
const CODE = /^[a-z0-9_]{1,64}$/;

/** `?challenge=&methods=` (single sign-on asks for a second factor) as a challenge, if any. */
function challengeOf(search: URLSearchParams) {
  const challenge = search.get('challenge');
  if (challenge === null || challenge === '') return null;
  const methods = (search.get('methods') ?? '')
    .split(',')
    .filter((method): method is SecondFactorMethod => METHODS.some((known) => known === method));
  return { challenge, methods: methods.length > 0 ? methods : METHODS };
}

/** `?ssoError=<code>`: why single sign-on failed, in the catalogue's words when it knows it. */
function ssoErrorOf(search: URLSearchParams): ApiError | null {
  const code = search.get('ssoError');
  if (code === null || !CODE.test(code)) return null;
  return new ApiError(400, code, code);
}

export function LoginPage() {
  const { notice } = useSession();
  const { locale, text } = useShellText();
  const words = useTwoFactorText();
  const { search } = useLocation();
  useDocumentTitle(text.logIn);
  const challenge = challengeOf(search);
  const ssoError = ssoErrorOf(search);
  const next = search.get('next');
  return (
    <main id="main" className="login-page" lang={locale}>
      <div className="login-card">
        <p className="brand brand-large">Vertex AR</p>
        <h1>{text.loginTitle}</h1>
        {notice !== null && <Notice tone="info">{noticeText(text, notice)}</Notice>}
        {ssoError !== null &&
          (isCatalogued(ssoError.code) ? (
            <ErrorNotice error={ssoError} title={words.ssoFailed} />
          ) : (
            <ErrorNotice error={new Error(words.ssoFailed)} />
          ))}
        <LoginForm
          challenge={challenge}
          onChallengeEnd={() => {
            // The URL's challenge is spent: a reload shows the password form.
            navigate(next === null ? '/login' : `/login?next=${encodeURIComponent(next)}`, {
              replace: true,
            });
          }}
        />
        {challenge === null && <SsoButtons />}
        {/* After the form: the first Tab still goes to the username. */}
        <div className="login-language">
          <LanguageSwitch label={text.language} />
        </div>
      </div>
    </main>
  );
}
