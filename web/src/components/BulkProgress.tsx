import { Alert, Button, List, Modal, Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useApp } from '../lib/app';
import { runBulk, type BulkAction, type BulkFields, type BulkItem } from '../lib/bulk';
import { describeError } from '../lib/errors';
import { useLatest } from '../lib/latest';

export interface BulkRun {
  action: BulkAction;
  ids: string[];
  fields: BulkFields;
  /** work order numbers by id: failures are named by number */
  numbers: Record<string, string>;
}

/** A bulk run (docs/bulk.md): one progress bar while the chunks are answered, then how many were done and,
 * by number, each one that was not and why. Closed only once every chunk has its answer. */
export default function BulkProgress({ run, onClose }: { run: BulkRun | null; onClose: (done: number) => void }) {
  const { t, lang } = useApp();
  const [answered, setAnswered] = useState(0);
  const [results, setResults] = useState<BulkItem[] | null>(null);

  // Only the newest run reports, and nothing once the dialog is gone; the run itself goes on to its last chunk.
  const latest = useLatest();
  useEffect(() => {
    if (!run) return;
    const request = latest.begin();
    setAnswered(0);
    setResults(null);
    request.settle(runBulk(run.action, run.ids, run.fields, (n) => request.live() && setAnswered(n))).then(setResults);
    return latest.cancel;
  }, [run, latest]);

  const total = run?.ids.length ?? 0;
  const failed = results?.filter((x) => !x.ok) ?? [];
  const done = results ? results.length - failed.length : 0;
  const finished = results !== null;

  return (
    <Modal
      open={!!run}
      title={run ? t('bulk.running', { action: t(`act.${run.action}`), n: total }) : ''}
      closable={finished}
      maskClosable={false}
      keyboard={finished}
      onCancel={() => finished && onClose(done)}
      footer={
        <Button type="primary" disabled={!finished} onClick={() => onClose(done)} data-testid="bulk-close">
          {t('bulk.close')}
        </Button>
      }
      destroyOnHidden
    >
      <div data-testid="bulk-progress" data-finished={finished ? 'true' : 'false'}>
        <Progress
          percent={total ? Math.round((answered * 100) / total) : 0}
          status={finished ? (failed.length ? 'exception' : 'success') : 'active'}
          aria-label={t('bulk.progress')}
        />
        <Typography.Text type="secondary">{t('bulk.answered', { n: answered, total })}</Typography.Text>
        {finished && (
          <Alert
            style={{ marginTop: 12 }}
            type={failed.length ? (done ? 'warning' : 'error') : 'success'}
            showIcon
            title={<span data-testid="bulk-summary">{t('bulk.summary', { done, failed: failed.length })}</span>}
          />
        )}
        {failed.length > 0 && (
          <List
            size="small"
            style={{ marginTop: 8, maxHeight: 280, overflowY: 'auto' }}
            data-testid="bulk-failures"
            dataSource={failed}
            renderItem={(x) => (
              <List.Item data-testid="bulk-failure" data-id={x.id}>
                <span>
                  <b>{run?.numbers[x.id] ?? x.id}</b>：{describeError(x.error, lang).message}
                </span>
              </List.Item>
            )}
          />
        )}
      </div>
    </Modal>
  );
}
