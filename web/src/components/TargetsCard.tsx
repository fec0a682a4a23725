import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../lib/api';
import { useApp } from '../lib/app';
import { formatDuration, formatTime } from '../lib/format';
import type { TargetOutcome, WoTargets } from '../lib/types';

const outcomeColor: Record<TargetOutcome, string> = { pending: 'processing', met: 'success', missed: 'error', cancelled: 'default' };

/** A work order's time targets (GET /workorders/{id}/targets, docs/targets.md): for each its due time, whether it
 * was met, the working time left, and the time paused while waiting for the buyer. Read again when the work order
 * moves (`version`); nothing is shown for a type without targets. */
export default function TargetsCard({ id, version }: { id: string; version: number }) {
  const { t, lang } = useApp();
  const [v, setV] = useState<WoTargets | null>(null);

  useEffect(() => {
    let live = true;
    get('/workorders/{id}/targets', { params: { id } })
      .then((r) => live && setV(r))
      .catch(() => live && setV(null)); // the page works without it
    return () => {
      live = false;
    };
  }, [id, version]);

  if (!v || !v.rule) return null;
  const outcome = (o: TargetOutcome) => (
    <Tag color={outcomeColor[o]} data-outcome={o}>
      {t(`targets.outcome.${o}`)}
    </Tag>
  );
  const left = (s: number) => t('targets.left', { time: formatDuration(s * 1000, lang) });
  const fr = v.first_response;
  const res = v.resolution;
  return (
    <Card title={t('wo.targets')} size="small" data-testid="targets-card">
      <Descriptions size="small" column={1}>
        {fr && (
          <Descriptions.Item label={t('target.first_response')}>
            <Space wrap size={[8, 4]} data-testid="target-first_response">
              {outcome(fr.outcome)}
              <span>{t('targets.due', { at: formatTime(fr.due_at) })}</span>
              {fr.at && <Typography.Text type="secondary">{t('targets.respondedAt', { at: formatTime(fr.at) })}</Typography.Text>}
              {fr.outcome === 'pending' && <Typography.Text type="secondary">{left(fr.left_seconds)}</Typography.Text>}
            </Space>
          </Descriptions.Item>
        )}
        {res && (
          <Descriptions.Item label={t('target.resolution')}>
            <Space wrap size={[8, 4]} data-testid="target-resolution">
              {outcome(res.outcome)}
              {res.paused ? <Tag color="cyan">{t('targets.paused')}</Tag> : <span>{t('targets.due', { at: formatTime(res.due_at) })}</span>}
              {(res.outcome === 'pending' || res.paused) && <Typography.Text type="secondary">{left(res.left_seconds)}</Typography.Text>}
              {res.paused_seconds > 0 && (
                <Typography.Text type="secondary" data-testid="target-paused">
                  {t('targets.pausedFor', { time: formatDuration(res.paused_seconds * 1000, lang) })}
                </Typography.Text>
              )}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
