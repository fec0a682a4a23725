import { Button, Image, Modal } from 'antd';
import { DownloadOutlined, FileImageOutlined, FilePdfOutlined, FileOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useApp } from '../lib/app';
import type { Attachment } from '../lib/types';

const fileUrl = (a: Attachment) => a.url ?? `/api/v1/attachments/${a.id}`;
const inlineUrl = (a: Attachment) => `${fileUrl(a)}?inline=1`;

/** The plain icon of a file that has no thumbnail (a PDF, a video, or an image the server refused). */
function FileIcon({ a }: { a: Attachment }) {
  const style = { fontSize: 36, color: '#8c8c8c' };
  if (a.mime === 'application/pdf') return <FilePdfOutlined style={{ ...style, color: '#cf1322' }} />;
  if (a.mime?.startsWith('video/')) return <VideoCameraOutlined style={style} />;
  if (a.mime?.startsWith('image/')) return <FileImageOutlined style={style} />;
  return <FileOutlined style={style} />;
}

/** One image: the server's thumbnail; a click opens the full image in the page (antd preview).
 * An image whose thumbnail the server refused (too many pixels, damaged) shows the icon. */
function ImageTile({ a, testId }: { a: Attachment; testId: string }) {
  const [broken, setBroken] = useState(false);
  return (
    <figure className="evidence-thumb" data-testid={testId} data-kind="image">
      {broken ? (
        <a className="file-tile" href={fileUrl(a)} target="_blank" rel="noreferrer" title={a.filename}>
          <FileImageOutlined style={{ fontSize: 36, color: '#8c8c8c' }} />
        </a>
      ) : (
        <Image
          src={a.thumbnail_url ?? inlineUrl(a)}
          preview={{ src: inlineUrl(a) }}
          width={88}
          height={88}
          alt={a.filename}
          style={{ objectFit: 'cover' }}
          onError={() => setBroken(true)}
        />
      )}
      <figcaption title={a.filename}>{a.filename ?? a.id}</figcaption>
    </figure>
  );
}

/** Files of a work order as tiles: image thumbnails that open in the page, PDFs that open in a
 * dialog (the browser's viewer), videos and anything else as a download. */
export default function AttachmentList({ list, testId = 'attachment' }: { list?: Attachment[]; testId?: string }) {
  const { t } = useApp();
  const [pdf, setPdf] = useState<Attachment | null>(null);
  if (!list?.length) return <>—</>;
  const images = list.filter((a) => a.mime?.startsWith('image/'));
  const others = list.filter((a) => !a.mime?.startsWith('image/'));
  return (
    <>
      <div className="att-tiles" data-testid="attachments">
        <Image.PreviewGroup>
          {images.map((a) => (
            <ImageTile key={a.id} a={a} testId={testId} />
          ))}
        </Image.PreviewGroup>
        {others.map((a) => (
          <figure key={a.id} className="evidence-thumb" data-testid={testId} data-kind={a.mime === 'application/pdf' ? 'pdf' : 'file'}>
            {a.mime === 'application/pdf' ? (
              <button type="button" className="file-tile" onClick={() => setPdf(a)} aria-label={t('att.open', { name: a.filename ?? a.id })}>
                <FileIcon a={a} />
              </button>
            ) : (
              <a className="file-tile" href={fileUrl(a)} aria-label={t('att.download', { name: a.filename ?? a.id })}>
                <FileIcon a={a} />
              </a>
            )}
            <figcaption title={a.filename}>{a.filename ?? a.id}</figcaption>
          </figure>
        ))}
      </div>
      <Modal
        open={!!pdf}
        title={pdf?.filename}
        onCancel={() => setPdf(null)}
        width="min(960px, 96vw)"
        destroyOnHidden
        footer={
          <Button icon={<DownloadOutlined />} href={pdf ? fileUrl(pdf) : undefined}>
            {t('att.downloadBtn')}
          </Button>
        }
      >
        {pdf && <iframe className="pdf-preview" src={inlineUrl(pdf)} title={pdf.filename ?? pdf.id} data-testid="pdf-preview" />}
      </Modal>
    </>
  );
}
