import type { AbstractNode, IconDefinition } from '@ant-design/icons-svg/es/types';
import type { CSSProperties, ReactNode } from 'react';

// One of antd's icons drawn from its SVG data alone (@ant-design/icons-svg, which @ant-design/icons draws
// from too): a phone's first screen shows a few icons before antd and its icon component have loaded.
// The same markup as antd's (<span class="anticon"><svg>), styled in styles.css (.anticon).

function draw(n: AbstractNode, key?: number): ReactNode {
  const Tag = n.tag as 'path';
  return (
    <Tag key={key} {...n.attrs}>
      {n.children?.map(draw)}
    </Tag>
  );
}

export default function PlainIcon({ icon, style }: { icon: IconDefinition; style?: CSSProperties }) {
  const svg = icon.icon as AbstractNode;
  return (
    <span role="img" aria-label={icon.name} className={`anticon anticon-${icon.name} picon`} style={style}>
      <svg {...svg.attrs} data-icon={icon.name} width="1em" height="1em" fill="currentColor" aria-hidden="true">
        {svg.children?.map(draw)}
      </svg>
    </span>
  );
}
