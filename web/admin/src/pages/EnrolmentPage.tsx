import { useState } from 'react';
import { BackupCodes } from '../components/two-factor/BackupCodes';
import { TotpSetup } from '../components/two-factor/TotpSetup';
import { useTwoFactorText } from '../components/two-factor/twoFactorText';
import { Notice } from '../components/ErrorNotice';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useShellText } from '../components/shell/shellText';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useSession } from '../session';

/**
 * The studio requires two-factor sign-in (`REQUIRE_2FA`) and this account has none: the only
 * screen until it is set up (the server refuses everything else meanwhile). After the backup
 * codes are saved, the app opens.
 */
export function EnrolmentPage() {
  const { user, enrolled, logout } = useSession();
  const { locale, text: shell } = useShellText();
  const text = useTwoFactorText();
  const [codes, setCodes] = useState<string[] | null>(null);
  useDocumentTitle(text.enrolmentTitle);
  return (
    <main id="main" className="login-page" lang={locale}>
      <div className="login-card enrolment-card">
        <p className="brand brand-large">Vertex AR</p>
        <h1>{text.enrolmentTitle}</h1>
        {codes === null ? (
          <>
            <Notice tone="info">{text.enrolmentLead}</Notice>
            <TotpSetup onEnabled={setCodes} onAlreadyOn={enrolled} />
          </>
        ) : (
          <>
            <Notice tone="success">{text.turnedOn}</Notice>
            <BackupCodes
              codes={codes}
              username={user?.username ?? ''}
              onSaved={enrolled}
              savedLabel={text.enrolmentContinue}
            />
          </>
        )}
        <div className="login-language enrolment-footer">
          <button
            type="button"
            className="button"
            onClick={() => {
              void logout();
            }}
          >
            {shell.logOut}
          </button>
          <LanguageSwitch label={shell.language} />
        </div>
      </div>
    </main>
  );
}
