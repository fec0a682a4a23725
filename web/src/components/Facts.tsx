import type { ReactNode } from 'react';

export type Fact = { key: string; label: ReactNode; value: ReactNode };

/**
 * A work order's key facts in antd's small Descriptions look (styles.css, .facts): label and value
 * pairs, two to a row from 576 px (antd's sm), one on a phone. The same table antd draws (its column
 * widths follow the content, as antd's do), without antd's components, so the work order's first
 * screen needs React only (issue 13).
 */
export default function Facts({ items, title, testid }: { items: Fact[]; title?: ReactNode; testid?: string }) {
  const rows: Fact[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2));
  return (
    <div className="facts" data-testid={testid}>
      {title && <div className="facts-title">{title}</div>}
      <table>
        <tbody>
          {rows.map((row) => (
            <tr key={row[0].key}>
              {row.map((f) => (
                <td key={f.key}>
                  <div className="facts-item">
                    <span className="facts-label">{f.label}</span>
                    <span className="facts-value">{f.value}</span>
                  </div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
