import type { ReactNode } from 'react';

/**
 * antd's small Card look (styles.css, .plain-card) in plain elements, for what a page shows on its first
 * screen: antd's Card is a component of many hooks, and a phone's first render is what Lighthouse's
 * mobile test runs on a 4× slower CPU (issue 13). Same boxes as antd's: a 38 px head, a 12 px body.
 */
export default function PlainCard({ title, children, testid }: { title: ReactNode; children: ReactNode; testid?: string }) {
  return (
    <div className="plain-card" data-testid={testid}>
      <div className="plain-card-head">
        <div className="plain-card-head-wrapper">
          <div className="plain-card-title">{title}</div>
        </div>
      </div>
      <div className="plain-card-body">{children}</div>
    </div>
  );
}
