import type { ReactNode } from 'react';

export type Fact = { key: string; label: ReactNode; value: ReactNode };

/**
 * A work order's key facts in antd's small Descriptions look (styles.css, .facts): label and value
 * pairs, two to a row from 576 px (antd's sm) and one on a phone, or one to a row (antd's column={1}). The same table antd draws (its column
 * widths follow the content, as antd's do), without antd's components, so the work order's first
 * screen needs React only (issue 13).
 */
export default function Facts({ items, title, testid, columns = 2 }: { items: Fact[]; title?: ReactNode; testid?: string; columns?: 1 | 2 }) {
  const rows: Fact[][] = [];
  for (let i = 0; i < items.length; i += columns) rows.push(items.slice(i, i + columns));
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
