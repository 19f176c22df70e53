import { LanguageSwitch } from '../components/LanguageSwitch';
import { LoginForm } from '../components/LoginForm';
import { Notice } from '../components/ErrorNotice';
import { noticeText, useShellText } from '../components/shell/shellText';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useSession } from '../session';

export function LoginPage() {
  const { notice } = useSession();
  const { locale, text } = useShellText();
  useDocumentTitle(text.logIn);
  return (
    <main id="main" className="login-page" lang={locale}>
      <div className="login-card">
        <p className="brand brand-large">Vertex AR</p>
        <h1>{text.loginTitle}</h1>
        {notice !== null && <Notice tone="info">{noticeText(text, notice)}</Notice>}
        <LoginForm />
        {/* After the form: the first Tab still goes to the username. */}
        <div className="login-language">
          <LanguageSwitch label={text.language} />
        </div>
      </div>
    </main>
  );
}
