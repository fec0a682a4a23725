import { memo } from 'react';
import { useLang } from '../lib/app';
import { describeEvent, eventColor } from '../lib/events';
import { formatTime } from '../lib/format';
import type { WoEvent } from '../lib/types';

/**
 * A work order's events, newest first, in antd's Timeline look (styles.css, .timeline): a dot in the
 * event's colour, a line to the next, who did what and when. Plain elements, since it is drawn once per
 * event and antd's Timeline (its Steps) is a component of many hooks per item (issue 13; docs/decisions.md,
 * "What a page repeats per row is plain elements in antd's look").
 */
export default function EventTimeline({ events }: { events: WoEvent[] }) {
  const sorted = events.map((ev, i) => ({ ev, i })).sort((x, y) => Date.parse(y.ev.at ?? '') - Date.parse(x.ev.at ?? '') || y.i - x.i);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map(({ ev }) => (
        <Item key={ev.id} ev={ev} />
      ))}
    </ol>
  );
}

const Item = memo(function Item({ ev }: { ev: WoEvent }) {
  const { t, lang } = useLang();
  return (
    <li className={`timeline-item timeline-${eventColor(ev.kind)}`}>
      <span className="timeline-dot" />
      <div className="timeline-content" data-kind={ev.kind}>
        <div>
          <b>{ev.actor?.display_name ?? t('ev.system')}</b> {describeEvent(ev, lang)}
        </div>
        <span className="text-secondary timeline-time">{formatTime(ev.at)}</span>
      </div>
    </li>
  );
});
