import { memo } from 'react';
import { Link } from 'react-router';
import { useGrowing } from '../lib/afterPaint';
import { useLang } from '../lib/app';
import type { WorkOrder, WorkorderTypeDef } from '../lib/types';
import { Countdown, FINISHED_STATES, StateTag, TypeName } from './bits';

/**
 * A list of work orders as cards, on screens under 768 px (wider ones show the table). Plain elements in
 * antd's List look (styles.css, .wo-cards): a phone draws 50 of these on the list's first load, and
 * antd's List, Space and Tag made some ten components of each card (issue 13: the first render on a
 * phone, which Lighthouse's mobile test runs on a 4× slower CPU). A card is drawn again only when its
 * work order changes, not when the page around it does (the counts, a filter being typed). On the first
 * load, the cards a phone's screen shows are drawn first and the rest after they are painted, eight more
 * after each paint, so the first card is on screen one short task after the rows arrive (the largest paint
 * Lighthouse times) and the others come in short tasks too.
 */
/** cards on a phone's first screen (about 120 px each), drawn before the others */
const FIRST_SCREEN = 8;

export default function WorkorderCards({
  items,
  loading,
  label,
  defs,
}: {
  items: WorkOrder[];
  loading: boolean;
  label: (w: WorkOrder) => string;
  defs: WorkorderTypeDef[];
}) {
  const { t } = useLang();
  const shown = useGrowing(items.length > 0 ? 'rows' : undefined, items.length, FIRST_SCREEN, FIRST_SCREEN);
  if (loading && items.length === 0)
    return (
      <div className="wo-cards wo-cards-loading" data-testid="wo-cards" role="status" aria-label={t('common.loading')}>
        <span className="spinner" />
      </div>
    );
  if (items.length === 0)
    return (
      <div className="wo-cards" data-testid="wo-cards">
        <div className="wo-cards-empty">{t('list.empty')}</div>
      </div>
    );
  return (
    <div className="wo-cards" data-testid="wo-cards">
      <ul>
        {items.slice(0, shown).map((w) => (
          <Card key={w.id} w={w} label={label(w)} defs={defs} />
        ))}
      </ul>
    </div>
  );
}

const Card = memo(function Card({ w, label, defs }: { w: WorkOrder; label: string; defs: WorkorderTypeDef[] }) {
  return (
    <li className="wo-card-item">
      {/* each in a box of its own, as in antd's Space: the tag then sits on a line of the card's text */}
      <div className="wo-card-head">
        <div>
          <Link to={`/wo/${w.id}`} data-testid="wo-link">
            {label}
          </Link>
        </div>
        <div>
          <StateTag state={w.state} />
        </div>
      </div>
      <div className="wo-card-title">{w.title}</div>
      <div className="wo-card-meta">
        <TypeName type={w.type} defs={defs} />
        {w.buyer_nick && <span className="nowrap">· {w.buyer_nick}</span>}
        {w.handler && <span className="nowrap">· {w.handler.display_name}</span>}
      </div>
      <div>
        <Countdown deadline={w.deadline} overdue={w.overdue} done={FINISHED_STATES.has(w.state)} />
      </div>
    </li>
  );
});
