import { Alert, Card, Col, Empty, List, Row, Statistic, Typography } from 'antd';
import { AlertOutlined, ClockCircleOutlined, InboxOutlined, MessageOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { get } from '../lib/api';
import type { ListQuery } from '../lib/listParams';
import { useLatest } from '../lib/latest';
import { isLead, isPlatform, useApp } from '../lib/app';
import type { WorkOrder } from '../lib/types';
import { Countdown, StateTag, TypeLabel } from '../components/bits';
import { toRfc3339 } from '../lib/format';
import ErrorMessage from '../components/ErrorMessage';

/** One of the page's lists, asked again when `dep` (its count) moves; a failure is the card's to show. */
function useWoList(params: ListQuery, dep: unknown): { items: WorkOrder[] | null; error: unknown } {
  const [items, setItems] = useState<WorkOrder[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(params);
  const latest = useLatest();
  useEffect(() => {
    latest(get('/workorders', { query: params })).then(
      (r) => {
        setItems(r.items);
        setError(null);
      },
      (e) => {
        setItems([]);
        setError(e);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, dep]);
  return { items, error };
}

/** The window of 即将超期, as the server counts it (service/workorders.c DUE_SOON_MS). */
const DUE_SOON_MS = 4 * 3600_000;
/** The most the list API returns at once: an agent's own collaborative count is read from one page. */
const MAX_PAGE = 200;

/**
 * Each card says whose work it counts and opens the list that holds exactly what it counted: a lead's
 * 已超期 and 协同工单待回复 are the whole shop's (the server counts them shop-wide, and a lead's lists of
 * them are shop-wide); 待我处理 and 即将超期 are the signed-in user's own, as are an agent's 已超期. The
 * server counts 协同工单待回复 shop-wide for everyone, but an agent sees only the collaborative work
 * orders they handle, so an agent's card counts those from the list itself.
 */
export default function Home() {
  const { t, lang, counts, user } = useApp();
  const nav = useNavigate();
  const lead = isLead(user);
  const collabView = lead ? 'shop' : 'todo';
  const todo = useWoList({ view: 'todo', sort: 'deadline', limit: 8 }, counts?.todo);
  const collab = useWoList(
    { view: collabView, type: 'collab', state: 'awaiting_seller', sort: 'deadline', limit: lead ? 8 : MAX_PAGE },
    counts?.collab_awaiting,
  );
  if (isPlatform(user)) return <Navigate to="/platform/intervention" replace />;

  const collabCount = lead
    ? counts?.collab_awaiting
    : collab.items === null
      ? undefined
      : collab.items.length >= MAX_PAGE
        ? `${MAX_PAGE}+`
        : collab.items.length;
  const dueSoon = () => {
    const now = Date.now();
    return `/list/todo?${new URLSearchParams({ deadline_from: toRfc3339(new Date(now)), deadline_to: toRfc3339(new Date(now + DUE_SOON_MS)), sort: 'deadline' })}`;
  };
  const cards = [
    { key: 'todo', title: t('home.todo'), value: counts?.todo, icon: <InboxOutlined />, to: () => '/list/todo', color: '#1668dc' },
    { key: 'due_soon', title: t('home.dueSoon'), value: counts?.due_soon, icon: <ClockCircleOutlined />, to: dueSoon, color: '#d46b08' },
    {
      key: 'overdue',
      title: t(lead ? 'home.overdueShop' : 'home.overdue'),
      value: counts?.overdue,
      icon: <AlertOutlined />,
      to: () => '/list/overdue',
      color: '#cf1322',
    },
    {
      key: 'collab_awaiting',
      title: t(lead ? 'home.collabShop' : 'home.collab'),
      value: collabCount,
      icon: <MessageOutlined />,
      to: () => `/list/${collabView}?type=collab&state=awaiting_seller&sort=deadline`,
      color: '#722ed1',
    },
  ];

  const woList = ({ items, error }: { items: WorkOrder[] | null; error: unknown }, testid: string) =>
    error != null ? (
      <Alert type="error" showIcon title={<ErrorMessage error={error} lang={lang} />} role="alert" data-testid={`${testid}-error`} />
    ) : items && items.length === 0 ? (
      <Empty description={t('home.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
    ) : (
      <List
        data-testid={testid}
        loading={items === null}
        dataSource={(items ?? []).slice(0, 8)}
        renderItem={(w: WorkOrder) => (
          <List.Item extra={<Countdown deadline={w.deadline} overdue={w.overdue} />}>
            <List.Item.Meta
              title={
                <Link to={`/wo/${w.id}`}>
                  {w.number} · {w.title}
                </Link>
              }
              description={
                <span>
                  <TypeLabel type={w.type} /> · <StateTag state={w.state} /> {w.buyer_nick ? `· ${w.buyer_nick}` : ''}
                </span>
              }
            />
          </List.Item>
        )}
      />
    );

  return (
    <div>
      <h1 className="page-title">{t('home.title')}</h1>
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col xs={12} md={6} key={c.key}>
            <Card
              className="stat-card"
              hoverable
              tabIndex={0}
              role="link"
              aria-label={`${c.title} ${c.value ?? ''}`}
              data-testid={`count-${c.key}`}
              onClick={() => nav(c.to())}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), nav(c.to()))}
            >
              <Statistic title={c.title} value={c.value ?? '—'} prefix={c.icon} styles={{ content: { color: c.color } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card title={t('home.todo')} extra={<Link to="/list/todo">{t('home.open')}</Link>}>
            {woList(todo, 'home-todo')}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t(lead ? 'home.collabListShop' : 'home.collabList')} extra={<Link to={cards[3].to()}>{t('home.open')}</Link>}>
            {woList(collab, 'home-collab')}
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} />
    </div>
  );
}
