import { LoginForm } from '../components/LoginForm';
import { Notice } from '../components/ErrorNotice';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useSession } from '../session';

export function LoginPage() {
  const { notice } = useSession();
  useDocumentTitle('Log in');
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <p className="brand brand-large">Vertex AR</p>
        <h1>Log in to the studio</h1>
        {notice !== null && <Notice tone="info">{notice}</Notice>}
        <LoginForm />
      </div>
    </main>
  );
}
