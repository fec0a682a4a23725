import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { get } from '../lib/api';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import { useApp } from '../lib/app';
import { formatFen, formatTime } from '../lib/format';
import type { BuyerHistory } from '../lib/types';
import { StateTag, TypeLabel } from './bits';

/** The buyer's history beside a work order (GET /workorders/{id}/buyer_history): how often this
 * buyer disputes and how it ended, their other work orders and their orders in this shop. Read
 * again when the work order moves (`version`), so a judgement shows without a reload. */
export default function BuyerHistoryCard({ id, version }: { id: string; version: number }) {
  const { t } = useApp();
  const [h, setH] = useState<BuyerHistory | null>(null);
  const [failed, setFailed] = useState(false);

  const latest = useLatest();

  useEffect(() => {
    latest(get('/workorders/{id}/buyer_history', { params: { id } })).then(
      (r) => {
        setH(r);
        setFailed(false);
      },
      (e) => {
        setFailed(true);
        logFailure('the buyer history (the card is left out)', e);
      },
    );
  }, [id, version, latest]);

  if (failed) return null; // the page works without it; the work order itself is what matters
  if (!h || !h.buyer_nick) return null;
  const d = h.disputes;
  const others = h.workorders.filter((w) => w.id !== id);
  return (
    <Card title={t('bh.title', { nick: h.buyer_nick })} size="small" data-testid="buyer-history">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <div data-testid="bh-disputes">
          {d.total === 0 ? (
            <Typography.Text type="secondary">{t('bh.noDisputes')}</Typography.Text>
          ) : (
            <Space wrap size={[8, 4]}>
              <b>{t('bh.disputes', { n: d.total })}</b>
              {d.open > 0 && <Tag color="processing">{t('bh.open', { n: d.open })}</Tag>}
              {d.settled > 0 && <Tag color="success">{t('bh.settled', { n: d.settled })}</Tag>}
              {d.for_buyer > 0 && <Tag color="error">{t('bh.forBuyer', { n: d.for_buyer })}</Tag>}
              {d.for_seller > 0 && <Tag color="default">{t('bh.forSeller', { n: d.for_seller })}</Tag>}
            </Space>
          )}
        </div>
        <Typography.Text strong>{t('bh.workorders', { n: others.length })}</Typography.Text>
        {others.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bh.noWorkorders')} />
        ) : (
          <List
            size="small"
            data-testid="bh-workorders"
            dataSource={others}
            renderItem={(w) => (
              <List.Item key={w.id} data-wo={w.id}>
                <Space wrap size={[8, 0]}>
                  <Link to={`/wo/${w.id}`}>{w.number}</Link>
                  <TypeLabel type={w.type} />
                  <span>{w.title}</span>
                  <StateTag state={w.state} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(w.created_at)}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
        {h.more && <Typography.Text type="secondary">{t('bh.more')}</Typography.Text>}
        <Typography.Text strong>{t('bh.orders', { n: h.orders.length })}</Typography.Text>
        <List
          size="small"
          data-testid="bh-orders"
          dataSource={h.orders}
          renderItem={(o) => (
            <List.Item key={o.order_no}>
              <Space wrap size={[8, 0]}>
                <span className="nowrap">{o.order_no}</span>
                <span>{t(`order.${o.status}`)}</span>
                <span className="nowrap">{formatFen(o.paid_amount)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(o.created_at)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
