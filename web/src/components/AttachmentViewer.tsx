import { Button, Image, Modal } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useApp } from '../lib/app';
import type { Attachment } from '../lib/types';
import { fileUrl, inlineUrl } from './Attachments';

/**
 * What opens from a work order's file tiles (components/Attachments.tsx), a chunk of antd's loaded on the first
 * click: antd's in-page preview of the images (one group, so the arrows go through them) and a PDF's dialog
 * (the browser's viewer).
 */
export default function AttachmentViewer({
  images,
  image,
  pdf,
  onImage,
  onClose,
}: {
  images: Attachment[];
  /** the image shown, by its place in `images`; null: the preview is closed */
  image: number | null;
  pdf: Attachment | null;
  onImage: (i: number) => void;
  onClose: () => void;
}) {
  const { t } = useApp();
  return (
    <>
      <Image.PreviewGroup
        items={images.map((a) => ({ src: inlineUrl(a), alt: a.filename }))}
        preview={{
          open: image !== null,
          current: image ?? 0,
          onChange: (c) => onImage(c),
          onOpenChange: (open) => !open && onClose(),
        }}
      />
      <Modal
        open={!!pdf}
        title={pdf?.filename}
        onCancel={onClose}
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
