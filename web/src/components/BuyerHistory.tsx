import { startTransition, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { get } from '../lib/api';
import { useGrowing } from '../lib/afterPaint';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import { useApp } from '../lib/app';
import { formatFen, formatTime } from '../lib/format';
import type { BuyerHistory } from '../lib/types';
import { StateTag, TypeLabel } from './bits';
import PlainCard from './PlainCard';
import PlainEmpty from './PlainEmpty';
import PlainSpace from './PlainSpace';

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
        // a transition: React draws the card in slices that yield to the browser (issue 13)
        startTransition(() => {
          setH(r);
          setFailed(false);
        });
      },
      (e) => {
        setFailed(true);
        logFailure('the buyer history (the card is left out)', e);
      },
    );
  }, [id, version, latest]);

  const others = h ? h.workorders.filter((w) => w.id !== id) : [];
  // the rows (other work orders, then orders) a few at a time after each paint: drawn at once, 13 of them and
  // their links were one long task on a slow phone (issue 13); rows are only added at the end of the card
  const rows = useGrowing(h ? id : undefined, others.length + (h?.orders.length ?? 0), FIRST_ROWS, FIRST_ROWS);
  if (failed) return null; // the page works without it; the work order itself is what matters
  if (!h || !h.buyer_nick) return null;
  const d = h.disputes;
  // antd's small Card, vertical Space, Tags, Typography and small split Lists, as plain elements in their
  // look (styles.css): a phone's work order draws no antd (docs/decisions.md)
  return (
    <PlainCard title={t('bh.title', { nick: h.buyer_nick })} testid="buyer-history">
      <div className="pstack pstack-8">
        <div data-testid="bh-disputes">
          {d.total === 0 ? (
            <span className="ptext-secondary">{t('bh.noDisputes')}</span>
          ) : (
            <PlainSpace gap="4px 8px">
              <b>{t('bh.disputes', { n: d.total })}</b>
              {d.open > 0 && <span className="wo-tag wo-tag-processing">{t('bh.open', { n: d.open })}</span>}
              {d.settled > 0 && <span className="wo-tag wo-tag-success">{t('bh.settled', { n: d.settled })}</span>}
              {d.for_buyer > 0 && <span className="wo-tag wo-tag-error">{t('bh.forBuyer', { n: d.for_buyer })}</span>}
              {d.for_seller > 0 && <span className="wo-tag wo-tag-default">{t('bh.forSeller', { n: d.for_seller })}</span>}
            </PlainSpace>
          )}
        </div>
        <div>
          <strong>{t('bh.workorders', { n: others.length })}</strong>
        </div>
        <div>
          {others.length === 0 ? (
            <PlainEmpty description={t('bh.noWorkorders')} />
          ) : (
            <PlainList testid="bh-workorders">
              {others.slice(0, rows).map((w) => (
                <li key={w.id} className="plist-item" data-wo={w.id}>
                  <PlainSpace gap="0 8px">
                    <Link to={`/wo/${w.id}`}>{w.number}</Link>
                    <TypeLabel type={w.type} />
                    <span>{w.title}</span>
                    <StateTag state={w.state} />
                    <span className="ptext-secondary" style={{ fontSize: 12 }}>
                      {formatTime(w.created_at)}
                    </span>
                  </PlainSpace>
                </li>
              ))}
            </PlainList>
          )}
        </div>
        {h.more && (
          <div>
            <span className="ptext-secondary">{t('bh.more')}</span>
          </div>
        )}
        <div>
          <strong>{t('bh.orders', { n: h.orders.length })}</strong>
        </div>
        <div>
          <PlainList testid="bh-orders" empty={h.orders.length === 0}>
            {h.orders.slice(0, Math.max(0, rows - others.length)).map((o) => (
              <li key={o.order_no} className="plist-item">
                <PlainSpace gap="0 8px">
                  <span className="nowrap">{o.order_no}</span>
                  <span>{t(`order.${o.status}`)}</span>
                  <span className="nowrap">{formatFen(o.paid_amount)}</span>
                  <span className="ptext-secondary" style={{ fontSize: 12 }}>
                    {formatTime(o.created_at)}
                  </span>
                </PlainSpace>
              </li>
            ))}
          </PlainList>
        </div>
      </div>
    </PlainCard>
  );
}

const FIRST_ROWS = 4;

/** antd's small split List (styles.css, .plist): its rows, or antd's empty picture when there are none
 * (`empty`: none at all, not only none drawn yet). */
function PlainList({ testid, children, empty = children.length === 0 }: { testid: string; children: ReactNode[]; empty?: boolean }) {
  const { t } = useApp();
  return (
    <div className="plist" data-testid={testid}>
      {!empty ? (
        <ul className="plist-items">{children}</ul>
      ) : (
        <div className="plist-empty">
          <PlainEmpty description={t('wo.item.none')} />
        </div>
      )}
    </div>
  );
}
