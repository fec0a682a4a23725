import type { IconDefinition } from '@ant-design/icons-svg/es/types';
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import PlainIcon from './PlainIcon';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  icon?: IconDefinition;
  /** antd's button types drawn without antd: default, primary, text, primary ghost (an active 筛选) */
  variant?: 'default' | 'primary' | 'text' | 'ghost';
  /** antd's `danger` (a default button in the error colour) */
  danger?: boolean;
  size?: 'small' | 'middle';
  loading?: boolean;
  children?: ReactNode;
};

/**
 * A button in antd's look (styles.css, .pbtn) for what a phone's first screen shows before antd has
 * loaded (docs/decisions.md, "A phone's first screen evaluates no antd"): the same markup as antd's
 * Button (an icon span, then the text), so the desktop looks the same where it uses one.
 */
export default function PlainButton({ icon, variant = 'default', danger, size = 'middle', loading, children, className, disabled, ...rest }: Props) {
  const cls = [
    'pbtn',
    `pbtn-${variant}`,
    danger ? 'pbtn-danger' : '',
    size === 'small' ? 'pbtn-sm' : '',
    children == null ? 'pbtn-icon' : '',
    loading ? 'pbtn-loading' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <button type="button" className={cls} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {loading ? (
        <span className="pbtn-icon-wrap">
          <span className="pbtn-spinner" />
        </span>
      ) : (
        icon && (
          <span className="pbtn-icon-wrap">
            <PlainIcon icon={icon} />
          </span>
        )
      )}
      {typeof children === 'string' || typeof children === 'number' ? <span>{children}</span> : children}
    </button>
  );
}
