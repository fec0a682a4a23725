import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { ApiError } from '../lib/api';
import { useLang } from '../lib/app';
import ErrorMessage from './ErrorMessage';

/** A work order page that could not be shown: not found (or not this reader's), or the request failed.
 * Its own chunk: antd's Result carries large pictures that a work order shown never needs (issue 13). */
export default function WorkorderProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t, lang } = useLang();
  if (error instanceof ApiError && (error.status === 404 || error.status === 403))
    return <Result status="404" title={t('wo.notFound')} extra={<Link to="/list/todo">{t('wo.back')}</Link>} />;
  return (
    <Result
      status="error"
      title={t('common.error')}
      subTitle={<ErrorMessage error={error} lang={lang} />}
      extra={<Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}
