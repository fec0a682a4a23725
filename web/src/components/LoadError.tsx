import { Alert } from 'antd';
import type { Lang } from '../lib/i18n';
import ErrorMessage from './ErrorMessage';

/** A page's or a list's load that failed, above what it shows (nothing when `error` is null). Apart from
 * ErrorMessage, which the sign-in page uses without antd. */
export default function LoadError({ error, lang }: { error: unknown; lang: Lang }) {
  if (error == null) return null;
  return <Alert type="error" showIcon title={<ErrorMessage error={error} lang={lang} />} role="alert" style={{ marginBottom: 12 }} />;
}
