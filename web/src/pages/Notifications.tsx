import { Button, Card, Empty, List, Space, Switch, Tag, Typography } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import ErrorMessage from '../components/ErrorMessage';
import { useApp } from '../lib/app';
import { formatTime } from '../lib/format';
import { getPreferences, listNotifications, markRead, NOTIFY_KINDS, putPreferences, toggleMuted } from '../lib/notifications';
import type { Notification, NotificationKind } from '../lib/types';

/** 通知: the reader's notifications, newest first, marked read one by one or all at once; the list follows the
 * bell (it is read again whenever the live unread count moves); below, which kinds they want. */
export default function Notifications() {
  const { t, lang, unread, setUnread } = useApp();
  const nav = useNavigate();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const page = await listNotifications();
      if (mine !== latest.current) return; // an older answer than the one shown
      setItems(page.items);
      setNext(page.next_before);
      setUnread(page.unread);
      setErr(null);
    } catch (e) {
      if (mine === latest.current) setErr(e);
    }
  }, [setUnread]);

  // the first page again whenever the bell moves (a new notification, or read in another tab)
  useEffect(() => {
    void load();
  }, [load, unread]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await listNotifications(next);
      setItems((cur) => [...(cur ?? []), ...page.items]);
      setNext(page.next_before);
    } catch (e) {
      setErr(e);
    }
  };

  const read = async (ids: string[] | 'all') => {
    setBusy(true);
    try {
      const r = await markRead(ids);
      const at = new Date().toISOString();
      setItems((cur) => cur?.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read_at: n.read_at ?? at } : n)) ?? null);
      setUnread(r.unread);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const open = (n: Notification) => {
    if (!n.read_at) void read([n.id]);
    nav(`/wo/${n.workorder.id}`);
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <BellOutlined />
            <span>{t('notify.title')}</span>
            <Tag color={unread ? 'red' : 'default'} data-testid="notify-unread">
              {t('notify.unread', { n: unread ?? 0 })}
            </Tag>
          </Space>
        }
        extra={
          <Button icon={<CheckOutlined />} onClick={() => void read('all')} disabled={!unread || busy} data-testid="notify-read-all">
            {t('notify.readAll')}
          </Button>
        }
      >
        {err !== null && <ErrorMessage error={err} lang={lang} />}
        <List
          loading={items === null && err === null}
          dataSource={items ?? []}
          locale={{ emptyText: <Empty description={t('notify.empty')} /> }}
          renderItem={(n) => (
            <List.Item
              className={n.read_at ? 'notify-item' : 'notify-item notify-unread'}
              data-testid="notify-item"
              data-kind={n.kind}
              data-read={n.read_at ? 'true' : 'false'}
              actions={
                n.read_at
                  ? []
                  : [
                      <Button key="read" size="small" type="link" onClick={() => void read([n.id])} disabled={busy} aria-label={t('notify.markReadAria', { wo: n.workorder.number })}>
                        {t('notify.markRead')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    <Tag color={n.kind.startsWith('target') || n.kind === 'chased' ? 'orange' : 'blue'}>{t(`notify.kind.${n.kind}`)}</Tag>
                    <Link
                      to={`/wo/${n.workorder.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        open(n);
                      }}
                    >
                      {n.workorder.number} {n.workorder.title}
                    </Link>
                  </Space>
                }
                description={
                  <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
                    {n.text && <Typography.Text className="notify-text">{n.text}</Typography.Text>}
                    <Typography.Text type="secondary">
                      {(n.actor ? n.actor.name : t('notify.system')) + ' · ' + formatTime(n.created_at)}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
        {next && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={() => void more()}>{t('notify.more')}</Button>
          </div>
        )}
      </Card>
      <Preferences />
    </Space>
  );
}

/** Which kinds the reader is told of: a switch per kind, saved as it is flipped. */
function Preferences() {
  const { t, lang } = useApp();
  const [muted, setMuted] = useState<string[] | null>(null);
  const [err, setErr] = useState<unknown>(null);

  useEffect(() => {
    getPreferences()
      .then((p) => setMuted(p.muted))
      .catch(setErr);
  }, []);

  const flip = async (kind: NotificationKind, on: boolean) => {
    if (!muted) return;
    const want = toggleMuted(muted, kind, on);
    setMuted(want);
    try {
      setMuted((await putPreferences(want)).muted);
      setErr(null);
    } catch (e) {
      setMuted(muted);
      setErr(e);
    }
  };

  return (
    <Card title={t('notify.prefs.title')} data-testid="notify-prefs">
      <Typography.Paragraph type="secondary">{t('notify.prefs.intro')}</Typography.Paragraph>
      {err !== null && <ErrorMessage error={err} lang={lang} />}
      <div className="notify-prefs">
        {NOTIFY_KINDS.map((k) => (
          <label key={k} className="notify-pref">
            <Switch size="small" checked={muted ? !muted.includes(k) : true} disabled={!muted} onChange={(on) => void flip(k, on)} data-testid={`pref-${k}`} />
            <span>{t(`notify.kind.${k}`)}</span>
          </label>
        ))}
      </div>
    </Card>
  );
}
