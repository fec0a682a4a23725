import { Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { isPlatform, useApp } from '../lib/app';
import { useLatest } from '../lib/latest';
import { fillPlaceholders, insertAt, listQuickReplies, type PlaceholderSource, type QuickReply } from '../lib/quickreplies';

// The replies are read once per page load and again after the 快捷短语 page changes them.
let cache: Promise<QuickReply[]> | null = null;
export function loadQuickReplies(force = false): Promise<QuickReply[]> {
  if (!cache || force) {
    cache = listQuickReplies().catch((e) => {
      cache = null;
      throw e;
    });
  }
  return cache;
}
export function resetQuickReplies() {
  cache = null;
}

/** A text box of a form and the way to put a reply into it at its cursor (over its selection). */
export function useQuickReplyTarget(form: FormInstance, name: string) {
  const ref = useRef<TextAreaRef>(null);
  const insert = (text: string) => {
    const el = ref.current?.resizableTextArea?.textArea;
    const cur: string = form.getFieldValue(name) ?? '';
    const start = el ? el.selectionStart : cur.length;
    const end = el ? el.selectionEnd : cur.length;
    const next = insertAt(cur, text, start, end);
    form.setFieldValue(name, next.text);
    // a rule the inserted text breaks is shown under the field by the form itself
    form.validateFields([name]).catch(() => {});
    window.requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.cursor, next.cursor);
    });
  };
  return { ref, insert };
}

/** 快捷短语: picks one of the reader's quick replies (shop-wide, then their own) and hands its text, with {买家} {订单号}
 * {截止时间} filled from the work order, to `onInsert`. Platform staff have none. */
export default function QuickReplyPicker({ workorder, onInsert, testId }: { workorder?: PlaceholderSource | null; onInsert: (text: string) => void; testId?: string }) {
  const { t, user } = useApp();
  const [items, setItems] = useState<QuickReply[] | null>(null);
  const [failed, setFailed] = useState(false);
  const platform = isPlatform(user);
  const latest = useLatest();

  useEffect(() => {
    if (platform) return;
    latest(loadQuickReplies()).then(setItems, () => setFailed(true));
  }, [platform, latest]);

  if (platform) return null;
  const group = (shared: boolean) =>
    (items ?? [])
      .filter((q) => q.shared === shared)
      .map((q) => ({
        value: q.id,
        label: q.title,
        title: q.body,
        search: `${q.title} ${q.body}`,
      }));
  const options = [
    { label: t('qr.shared'), title: t('qr.shared'), options: group(true) },
    { label: t('qr.mine'), title: t('qr.mine'), options: group(false) },
  ].filter((g) => g.options.length);

  return (
    <Select
      className="quickreply-picker"
      size="small"
      value={null}
      placeholder={t('qr.insert')}
      aria-label={t('qr.insert')}
      data-testid={testId ?? 'quickreply-picker'}
      loading={items === null && !failed}
      showSearch={{ optionFilterProp: 'search' }}
      popupMatchSelectWidth={280}
      options={options}
      notFoundContent={
        <div className="quickreply-empty">
          <Typography.Text type="secondary">{failed ? t('qr.loadFailed') : t('qr.none')}</Typography.Text>{' '}
          <Link to="/quickreplies">{t('qr.manage')}</Link>
        </div>
      }
      optionRender={(o) => (
        <div className="quickreply-option">
          <div className="quickreply-option-title">{o.label}</div>
          <div className="quickreply-option-body">{fillPlaceholders(String(o.data.title ?? ''), workorder)}</div>
        </div>
      )}
      onChange={(id: string) => {
        const q = items?.find((x) => x.id === id);
        if (q) onInsert(fillPlaceholders(q.body, workorder));
      }}
    />
  );
}
