import { Card, Col, Empty, List, Row, Statistic, Typography } from 'antd';
import { AlertOutlined, ClockCircleOutlined, InboxOutlined, MessageOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { get, qs } from '../lib/api';
import { isLead, isPlatform, useApp } from '../lib/app';
import type { WorkOrder } from '../lib/types';
import { Countdown, StateTag, TypeLabel } from '../components/bits';

function useWoList(params: Record<string, string | number>, dep: unknown) {
  const [items, setItems] = useState<WorkOrder[] | null>(null);
  const key = JSON.stringify(params);
  useEffect(() => {
    let alive = true;
    get<{ items: WorkOrder[] }>(`/workorders${qs(params)}`)
      .then((r) => alive && setItems(r.items))
      .catch(() => alive && setItems([]));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, dep]);
  return items;
}

export default function Home() {
  const { t, counts, user } = useApp();
  const nav = useNavigate();
  const collabView = isLead(user) ? 'shop' : 'todo';
  const todo = useWoList({ view: 'todo', sort: 'deadline', limit: 8 }, counts?.todo);
  const collab = useWoList({ view: collabView, type: 'collab', state: 'awaiting_seller', sort: 'deadline', limit: 8 }, counts?.collab_awaiting);
  if (isPlatform(user)) return <Navigate to="/platform/intervention" replace />;

  const cards = [
    { key: 'todo', title: t('home.todo'), value: counts?.todo, icon: <InboxOutlined />, to: '/list/todo', color: '#1668dc' },
    { key: 'due_soon', title: t('home.dueSoon'), value: counts?.due_soon, icon: <ClockCircleOutlined />, to: '/list/todo?sort=deadline', color: '#d46b08' },
    { key: 'overdue', title: t('home.overdue'), value: counts?.overdue, icon: <AlertOutlined />, to: '/list/overdue', color: '#cf1322' },
    {
      key: 'collab_awaiting',
      title: t('home.collab'),
      value: counts?.collab_awaiting,
      icon: <MessageOutlined />,
      to: `/list/${collabView}?type=collab&state=awaiting_seller&sort=deadline`,
      color: '#722ed1',
    },
  ];

  const woList = (items: WorkOrder[] | null, testid: string) =>
    items && items.length === 0 ? (
      <Empty description={t('home.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
    ) : (
      <List
        data-testid={testid}
        loading={items === null}
        dataSource={items ?? []}
        renderItem={(w) => (
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
              onClick={() => nav(c.to)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), nav(c.to))}
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
          <Card title={t('home.collabList')} extra={<Link to={cards[3].to}>{t('home.open')}</Link>}>
            {woList(collab, 'home-collab')}
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} />
    </div>
  );
}
