import { useEffect, useState } from 'react';
import { get } from '../lib/api';
import { useApp } from '../lib/app';
import { formatDuration, formatTime } from '../lib/format';
import type { TargetOutcome, WoTargets } from '../lib/types';
import Facts, { type Fact } from './Facts';
import PlainCard from './PlainCard';
import PlainSpace from './PlainSpace';

// antd's status colours, as plain tags (styles.css, .wo-tag)
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
  // antd's small Card, one-column Descriptions, Tags and Spaces as plain elements in their look (styles.css):
  // a phone's work order draws no antd (docs/decisions.md)
  const outcome = (o: TargetOutcome) => (
    <span className={`wo-tag wo-tag-${outcomeColor[o]}`} data-outcome={o}>
      {t(`targets.outcome.${o}`)}
    </span>
  );
  const left = (s: number) => t('targets.left', { time: formatDuration(s * 1000, lang) });
  const fr = v.first_response;
  const res = v.resolution;
  const items: Fact[] = [];
  if (fr)
    items.push({
      key: 'first_response',
      label: t('target.first_response'),
      value: (
        <PlainSpace gap="4px 8px" testid="target-first_response">
          {outcome(fr.outcome)}
          <span>{t('targets.due', { at: formatTime(fr.due_at) })}</span>
          {fr.at && <span className="ptext-secondary">{t('targets.respondedAt', { at: formatTime(fr.at) })}</span>}
          {fr.outcome === 'pending' && <span className="ptext-secondary">{left(fr.left_seconds)}</span>}
        </PlainSpace>
      ),
    });
  if (res)
    items.push({
      key: 'resolution',
      label: t('target.resolution'),
      value: (
        <PlainSpace gap="4px 8px" testid="target-resolution">
          {outcome(res.outcome)}
          {res.paused ? <span className="wo-tag wo-tag-cyan">{t('targets.paused')}</span> : <span>{t('targets.due', { at: formatTime(res.due_at) })}</span>}
          {(res.outcome === 'pending' || res.paused) && <span className="ptext-secondary">{left(res.left_seconds)}</span>}
          {res.paused_seconds > 0 && (
            <span className="ptext-secondary" data-testid="target-paused">
              {t('targets.pausedFor', { time: formatDuration(res.paused_seconds * 1000, lang) })}
            </span>
          )}
        </PlainSpace>
      ),
    });
  return (
    <PlainCard title={t('wo.targets')} testid="targets-card">
      <Facts columns={1} items={items} />
    </PlainCard>
  );
}
