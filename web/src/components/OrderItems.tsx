import { useLang } from '../lib/app';
import { formatFen } from '../lib/format';
import type { Order } from '../lib/types';

type Item = NonNullable<Order['items']>[number];

/**
 * An order's items, as a plain table in the look of antd's small Table (styles.css, .order-items): a
 * few rows with nothing to sort or select, where antd's Table was the largest chunk a phone loaded for
 * the work order page (issue 13). On a phone the SKU column gives way, so the price stays on screen
 * without scrolling sideways; wider, the table keeps 420 px and scrolls inside its card.
 */
export default function OrderItems({ items, narrow }: { items: Item[]; narrow: boolean }) {
  const { t } = useLang();
  return (
    <div className={`order-items${narrow ? '' : ' order-items-wide'}`} data-testid="order-items">
      <div className="order-items-scroll">
        <table>
          <colgroup>
            <col />
            {!narrow && <col style={{ width: 110 }} />}
            <col style={{ width: narrow ? 48 : 60 }} />
            <col style={{ width: narrow ? 88 : 100 }} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('wo.item.title')}</th>
              {!narrow && <th scope="col">{t('wo.item.sku')}</th>}
              <th scope="col" className="num">
                {t('wo.item.qty')}
              </th>
              <th scope="col" className="num">
                {t('wo.item.price')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td className="order-items-empty" colSpan={narrow ? 3 : 4}>
                  {t('wo.item.none')}
                </td>
              </tr>
            ) : (
              items.map((r) => (
                <tr key={`${r.sku}-${r.title}`}>
                  <td>{r.title}</td>
                  {!narrow && <td>{r.sku}</td>}
                  <td className="num">{r.quantity}</td>
                  <td className="num">
                    <span className="nowrap">{formatFen(r.price)}</span>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
