import { Card, Empty, Table } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../lib/api';
import { useApp } from '../lib/app';
import { formatRate } from '../lib/format';
import type { TargetHalf, TargetStats as TargetStatsData } from '../lib/types';
import { useUsers } from '../lib/users';
import { typeName, useWorkorderTypes } from '../lib/workorderTypes';

/** Time targets met (GET /stats/targets, docs/targets.md) over the statistics page's days: the share of first
 * responses and resolutions in time, by type and by handler. */
export default function TargetStats({ from, to }: { from: string; to: string }) {
  const { t, lang } = useApp();
  const users = useUsers();
  const [defs] = useWorkorderTypes(); // a shop type's row under its name
  const [data, setData] = useState<TargetStatsData | null>(null);

  useEffect(() => {
    let live = true;
    get('/stats/targets', { query: { from, to } })
      .then((d) => live && setData(d))
      .catch(() => live && setData(null)); // the rest of the statistics stands without it
    return () => {
      live = false;
    };
  }, [from, to]);

  if (!data) return null;
  const half = (h: TargetHalf) => (
    <span className="nowrap">
      <b>{formatRate(h.met_rate)}</b>{' '}
      <span className="muted">
        ({h.met} / {h.missed})
      </span>
    </span>
  );
  type Row = TargetStatsData['by_type'][number] | TargetStatsData['by_handler'][number];
  const cols = (title: string, who: (r: Row) => string) => [
    { title, key: 'who', render: (_: unknown, r: Row) => who(r) },
    { title: t('stats.targets.fr'), key: 'fr', align: 'right' as const, render: (_: unknown, r: Row) => half(r.first_response) },
    { title: t('stats.targets.res'), key: 'res', align: 'right' as const, render: (_: unknown, r: Row) => half(r.resolution) },
  ];
  const empty = data.by_type.length === 0;
  return (
    <Card size="small" title={t('stats.targets')} style={{ marginTop: 12 }} data-testid="target-stats">
      {empty ? (
        <Empty description={t('stats.targets.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <>
          <Table
            size="small"
            rowKey={(r) => r.type}
            pagination={false}
            dataSource={data.by_type}
            columns={cols(t('stats.targets.byType'), (r) => ('type' in r ? typeName(t, lang, r.type, defs) : ''))}
            data-testid="target-stats-type"
          />
          <Table
            size="small"
            style={{ marginTop: 12 }}
            rowKey={(r) => r.handler ?? 'none'}
            pagination={false}
            dataSource={data.by_handler}
            columns={cols(t('stats.targets.byHandler'), (r) => {
              const id = 'handler' in r ? r.handler : null;
              return id ? (users.find((u) => u.id === id)?.display_name ?? id) : t('stats.targets.nobody');
            })}
            data-testid="target-stats-handler"
          />
        </>
      )}
    </Card>
  );
}
