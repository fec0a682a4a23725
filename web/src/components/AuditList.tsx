import { Alert, Button, Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../lib/app';
import { formatTime } from '../lib/format';
import { keyIn, valueLabel, type Translate } from '../lib/i18n';
import { listAudit, type AuditEvent } from '../lib/people';
import ErrorMessage from './ErrorMessage';

const PAGE = 20;

/** A changed value as the reader knows it: roles by their names, true/false as 在用/已停用. */
function value(t: Translate, k: string, v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join('、') : '—';
  const role = k === 'role' ? keyIn('role.', v) : null;
  if (role) return t(role);
  if (k === 'active') return t(v === 'true' || v === true ? 'people.active' : 'people.inactive');
  return String(v);
}

/** What an event changed: "角色：客服 → 客服主管", or a creation's new values. */
function change(t: Translate, data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => {
      const label =
        k === 'role'
          ? t('people.col.role')
          : k === 'active'
            ? t('people.col.status')
            : k === 'username'
              ? t('people.col.username')
              : k === 'origins'
                ? t('panelSettings.origins')
                : t('people.col.name');
      if (v && typeof v === 'object' && 'to' in v) {
        const c = v as { from: unknown; to: unknown };
        return `${label}：${value(t, k, c.from)} → ${value(t, k, c.to)}`;
      }
      return `${label}：${value(t, k, v)}`;
    })
    .join('；');
}

/** 操作记录: the people and shop changes (GET /audit), newest first; for owners and platform admins. */
/** `names`: people's and shops' names by id, for the 对象 column. */
export default function AuditList({ names, shopId, reloadKey }: { names: Record<string, string>; shopId?: string; reloadKey?: unknown }) {
  const { t, lang } = useApp();
  const [items, setItems] = useState<AuditEvent[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);

  const load = useCallback(
    (before?: string) => {
      setErr(null);
      listAudit({ limit: PAGE, before, shop_id: shopId })
        .then((r) => {
          setItems((old) => (before ? [...(old ?? []), ...r.items] : r.items));
          setNext(r.next_before);
        })
        .catch(setErr);
    },
    [shopId],
  );
  useEffect(() => load(), [load, reloadKey]);

  const columns: ColumnsType<AuditEvent> = [
    { title: t('audit.col.at'), dataIndex: 'at', render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at)}</span> },
    { title: t('audit.col.actor'), render: (_, e) => e.actor.display_name },
    { title: t('audit.col.action'), render: (_, e) => valueLabel(t, 'audit.', e.action) },
    { title: t('audit.col.target'), render: (_, e) => names[e.target_user_id ?? e.target_shop_id ?? ''] ?? '—' },
    { title: t('audit.col.change'), render: (_, e) => <Typography.Text type="secondary">{change(t, e.data)}</Typography.Text> },
  ];

  return (
    <Card title={t('audit.title')} className="people-card" data-testid="audit">
      {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} style={{ marginBottom: 12 }} />}
      <Table<AuditEvent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items ?? []}
        loading={items === null && err == null}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('audit.empty') }}
      />
      {next && (
        <Button style={{ marginTop: 12 }} onClick={() => load(next)}>
          {t('audit.more')}
        </Button>
      )}
    </Card>
  );
}
