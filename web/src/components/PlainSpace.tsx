import { Children, isValidElement, type CSSProperties, type ReactNode } from 'react';

/**
 * antd's wrapping horizontal Space in plain elements (styles.css, .pspace): each child in an item box of
 * its own, as antd's, so that a tag sits on its line of text exactly as there (a work order's rest draws
 * these without antd on a phone; docs/decisions.md, "A phone's work order evaluates no antd").
 */
export default function PlainSpace({ gap, testid, children, style }: { gap: string; testid?: string; children: ReactNode; style?: CSSProperties }) {
  return (
    <div className="pspace pspace-wrap" style={{ ...style, gap }} data-testid={testid}>
      {Children.toArray(children).map((c, i) => (
        <div key={isValidElement(c) && c.key != null ? c.key : i} className="pspace-item">
          {c}
        </div>
      ))}
    </div>
  );
}
