import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import ErrorMessage from '../components/ErrorMessage';
import { useApp } from '../lib/app';

/**
 * The sign-in page. Plain elements and styles.css, no antd: it is the first page most visits load, so
 * it carries only React, the router and this file (antd comes with the workbench, after signing in).
 */
export default function Login() {
  const { user, login, t, lang, setLang } = useApp();
  const [err, setErr] = useState<unknown>(null);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const nav = useNavigate();
  const loc = useLocation();
  const from = (loc.state as { from?: string } | null)?.from ?? '/';
  if (user) return <Navigate to={from === '/login' ? '/' : from} replace />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const username = String(data.get('username') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const m = { username: !username, password: !password };
    setMissing(m);
    if (m.username || m.password) {
      e.currentTarget.querySelector<HTMLInputElement>(m.username ? '#username' : '#password')?.focus();
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      await login(username, password);
      nav(from === '/login' ? '/' : from, { replace: true });
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: 'username' | 'password', type: string, autoComplete: string) => (
    <div className={`login-field${missing[name] ? ' invalid' : ''}`}>
      <label htmlFor={name}>{t(`login.${name}`)}</label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        autoFocus={name === 'username'}
        aria-invalid={missing[name] || undefined}
        aria-describedby={missing[name] ? `${name}-help` : undefined}
        onInput={() => missing[name] && setMissing({ ...missing, [name]: false })}
      />
      {missing[name] && (
        <div id={`${name}-help`} className="login-help" role="alert">
          {t('login.required', { field: t(`login.${name}`) })}
        </div>
      )}
    </div>
  );

  return (
    <main className="center-screen login-page">
      <div className="login-card">
        <div className="login-head">
          <h1>{t('login.title')}</h1>
          <button
            type="button"
            className="login-lang"
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            lang={lang === 'zh' ? 'en' : 'zh'}
            title={t('app.langSwitch')}
          >
            {t('app.lang')}
          </button>
        </div>
        <form className="login-body" onSubmit={submit} noValidate>
          {field('username', 'text', 'username')}
          {field('password', 'password', 'current-password')}
          {err != null && (
            <div className="login-error" role="alert">
              <ErrorMessage error={err} lang={lang} />
            </div>
          )}
          <div className="login-actions">
            <button type="submit" className="login-submit" disabled={busy} aria-busy={busy} data-testid="login-submit">
              {t('login.submit')}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
