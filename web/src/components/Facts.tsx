import type { ReactNode } from 'react';

export type Fact = { key: string; label: ReactNode; value: ReactNode };

/**
 * A work order's key facts in antd's small Descriptions look (styles.css, .facts): label and value
 * pairs, two to a row from 576 px (antd's sm) and one on a phone, or one to a row (antd's column={1}). The same table antd draws (its column
 * widths follow the content, as antd's do), without antd's components, so the work order's first
 * screen needs React only (issue 13). `bordered` is antd's bordered one-column look (a case's reply,
 * judgement and appeal blocks): the label in a shaded cell beside its value.
 */
export default function Facts({
  items,
  title,
  testid,
  columns = 2,
  bordered,
  className,
}: {
  items: Fact[];
  title?: ReactNode;
  testid?: string;
  columns?: 1 | 2;
  bordered?: boolean;
  className?: string;
}) {
  const cls = ['facts', bordered ? 'facts-bordered' : '', className ?? ''].filter(Boolean).join(' ');
  if (bordered)
    return (
      <div className={cls} data-testid={testid}>
        {title && <div className="facts-title">{title}</div>}
        <div className="facts-view">
          <table>
            <tbody>
              {items.map((f) => (
                <tr key={f.key}>
                  <th className="facts-label">{f.label}</th>
                  <td className="facts-value">{f.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    );
  const rows: Fact[][] = [];
  for (let i = 0; i < items.length; i += columns) rows.push(items.slice(i, i + columns));
  return (
    <div className={cls} data-testid={testid}>
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
