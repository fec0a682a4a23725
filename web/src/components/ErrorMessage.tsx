import type { FormInstance } from 'antd';
import type { CSSProperties } from 'react';
import { ApiError } from '../lib/api';
import { describeError, requestIdLabel, type ErrorDescription } from '../lib/errors';
import type { Lang } from '../lib/i18n';

/**
 * An error as the user reads it: the sentence in the interface language, then (smaller) the server's
 * own words and the request id (lib/errors.ts decides the words). `lang` is passed in, not read from
 * context, so this also renders inside antd's message/modal holders.
 */
export default function ErrorMessage({ error, lang }: { error: unknown; lang: Lang }) {
  const d = describeError(error, lang);
  return (
    <span className="error-desc" data-testid="error-desc" data-code={d.code} data-request-id={d.requestId}>
      <span className="error-main">{d.message}</span>
      <ErrorDetail d={d} lang={lang} />
    </span>
  );
}

/** The secondary line alone: the server's words and the request id (nothing when there is neither).
 * A plain span (no antd), as the sign-in page shows it too. */
export function ErrorDetail({ d, lang, style }: { d: ErrorDescription; lang: Lang; style?: CSSProperties }) {
  if (!d.detail && !d.requestId) return null;
  return (
    <span className="error-detail" data-testid="error-detail" style={style}>
      {d.detail}
      {d.detail && d.requestId && (lang === 'zh' ? '；' : '; ')}
      {d.requestId && (
        <span className="error-rid">
          {requestIdLabel(lang)} {d.requestId}
        </span>
      )}
    </span>
  );
}

/** For antd form fields: their error list is typed as strings but renders React nodes. */
export function fieldErrors(error: unknown, lang: Lang): string[] {
  return [(<ErrorMessage error={error} lang={lang} />) as unknown as string];
}

/**
 * A server error that names one of the form's `fields` (e.g. 422 url) is shown on that field and the field
 * gets the focus; returns false for any other error, which the caller shows elsewhere.
 */
export function showOnField(form: FormInstance<any>, error: unknown, fields: readonly string[], lang: Lang): boolean {
  if (!(error instanceof ApiError) || !error.field || !fields.includes(error.field)) return false;
  form.setFields([{ name: error.field, errors: fieldErrors(error, lang) }]);
  form.focusField(error.field);
  return true;
}
