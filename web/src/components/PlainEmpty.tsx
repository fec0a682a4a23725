import { useApp } from '../lib/app';

/**
 * An empty state in the place and size of antd's Empty with its simple picture (styles.css, .pempty): the
 * work order's cards show it for a missing order or no other work orders, and draw without antd's
 * components on a phone (docs/decisions.md, "A phone's work order evaluates no antd"). The picture, an
 * empty tray, is our own drawing in antd's fill and border greys (antd's artwork is not copied).
 */
export default function PlainEmpty({ description }: { description: string }) {
  const { t } = useApp();
  return (
    <div className="pempty">
      <div className="pempty-image">
        <svg width="64" height="41" viewBox="0 0 64 41" xmlns="http://www.w3.org/2000/svg">
          <title>{t('wo.item.none')}</title>
          <ellipse fill="#f5f5f5" cx="32" cy="34" rx="30" ry="6" />
          <g fill="none" stroke="#d9d9d9">
            <path d="M11 15 19 3h26l8 12" />
            <path d="M11 15h13a8 5 0 0 0 16 0h13v16a3 3 0 0 1-3 3H14a3 3 0 0 1-3-3z" fill="#fafafa" />
          </g>
        </svg>
      </div>
      <div className="pempty-description">{description}</div>
    </div>
  );
}
