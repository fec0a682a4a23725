import { Button, Progress, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import ErrorMessage from '../../components/ErrorMessage';
import { useApp } from '../../lib/app';
import type { Item } from './EvidenceUpload';

/** The files chosen in an EvidenceUpload: a preview, the upload's progress, its error, a remove button. */
export default function UploadThumbs({ items, onRemove }: { items: Item[]; onRemove: (key: string) => void }) {
  const { lang } = useApp();
  return (
    <div className="thumbs">
      {items.map((it) => (
        <div className="thumb" key={it.key} data-testid="thumb">
          {it.url ? <img src={it.url} alt={it.file.name} /> : <div className="ph">{it.file.type === 'application/pdf' ? 'PDF' : 'MP4'}</div>}
          <div className="name" title={it.file.name}>
            {it.file.name}
          </div>
          <Progress percent={it.pct} size="small" status={it.error != null ? 'exception' : it.att ? 'success' : 'active'} showInfo={false} />
          {it.error != null && (
            <Typography.Text type="danger" role="alert">
              <ErrorMessage error={it.error} lang={lang} />
            </Typography.Text>
          )}
          <Button
            size="small"
            type="text"
            icon={<CloseOutlined />}
            aria-label={`remove ${it.file.name}`}
            onClick={() => onRemove(it.key)}
            style={{ position: 'absolute', top: 2, right: 2, background: 'rgba(255,255,255,.8)' }}
          />
        </div>
      ))}
    </div>
  );
}
