import { Alert, Card, Col, DatePicker, Form, Radio, Row, Space, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import EChart from '../components/EChart';
import TargetStats from '../components/TargetStats';
import { get } from '../lib/api';
import { useLatest } from '../lib/latest';
import ErrorMessage from '../components/ErrorMessage';
import { useApp } from '../lib/app';
import { formatDuration, formatRate, secondsToHours } from '../lib/format';
import { keyIn } from '../lib/i18n';
import type { Stats as StatsData, StatsRow } from '../lib/types';

export default function Stats() {
  const { t, lang } = useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [group, setGroup] = useState<'type' | 'handler' | 'day'>('type');
  const [data, setData] = useState<StatsData | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const latest = useLatest();

  useEffect(() => {
    setLoading(true);
    latest(get('/stats', { query: { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), group } }))
      .then((d) => {
        setData(d);
        setErr(null);
      }, setErr)
      .finally(() => setLoading(false));
  }, [range, group, latest]);

  const label = (r: StatsRow) => {
    if (group === 'type') {
      const k = keyIn('type.', r.key);
      return k ? t(k) : r.label || r.key;
    }
    return r.label || r.key;
  };

  const countsOption = useMemo(() => {
    const g = data?.groups ?? [];
    const cats = g.map(label);
    const series = (['created', 'done', 'open', 'overdue', 'transferred'] as const).map((k) => ({
      name: t(`stats.${k}`),
      type: group === 'day' ? 'line' : 'bar',
      smooth: true,
      data: g.map((r) => r[k] ?? 0),
    }));
    return {
      animationDuration: 300,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      color: ['#1668dc', '#52c41a', '#faad14', '#cf1322', '#722ed1'],
      series,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, t, group]);

  const timesOption = useMemo(() => {
    const g = data?.groups ?? [];
    const keys = [
      ['first_action_p50_s', 'stats.fa50'],
      ['first_action_p90_s', 'stats.fa90'],
      ['done_p50_s', 'stats.d50'],
      ['done_p90_s', 'stats.d90'],
    ] as const;
    return {
      animationDuration: 300,
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v} h`) },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: g.map(label), axisLabel: { interval: 0, rotate: g.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: keys.map(([k, l]) => ({ name: t(l), type: 'bar', data: g.map((r) => secondsToHours(r[k])) })),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, t, group]);

  const hours = (s: number | null) => (s === null || s === undefined ? '—' : formatDuration(s * 1000, lang));
  const columns: ColumnsType<StatsRow> = [
    { title: t(`stats.group.${group}`), key: 'label', render: (_, r) => label(r), fixed: 'left', width: 120 },
    { title: t('stats.created'), dataIndex: 'created', align: 'right' },
    { title: t('stats.done'), dataIndex: 'done', align: 'right' },
    { title: t('stats.open'), dataIndex: 'open', align: 'right' },
    { title: t('stats.overdue'), dataIndex: 'overdue', align: 'right' },
    { title: t('stats.transferred'), dataIndex: 'transferred', align: 'right' },
    { title: t('stats.fa50'), dataIndex: 'first_action_p50_s', align: 'right', render: hours },
    { title: t('stats.fa90'), dataIndex: 'first_action_p90_s', align: 'right', render: hours },
    { title: t('stats.d50'), dataIndex: 'done_p50_s', align: 'right', render: hours },
    { title: t('stats.d90'), dataIndex: 'done_p90_s', align: 'right', render: hours },
    { title: t('stats.within'), dataIndex: 'within_deadline_rate', align: 'right', render: formatRate },
  ];

  const tot = data?.totals;
  return (
    <div>
      <h1 className="page-title">{t('stats.title')}</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline">
          <Form.Item label={t('stats.range')}>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              aria-label={t('stats.range')}
            />
          </Form.Item>
          <Form.Item label={t('stats.group')}>
            <Radio.Group
              value={group}
              onChange={(e) => setGroup(e.target.value)}
              optionType="button"
              options={(['type', 'handler', 'day'] as const).map((g) => ({ value: g, label: t(`stats.group.${g}`) }))}
            />
          </Form.Item>
        </Form>
      </Card>
      {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" style={{ marginBottom: 12 }} />}
      {tot && (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="stats-totals">
          {(['created', 'done', 'open', 'overdue'] as const).map((k) => (
            <Col xs={12} md={4} key={k}>
              <Card size="small">
                <Statistic title={t(`stats.${k}`)} value={tot[k] ?? 0} />
              </Card>
            </Col>
          ))}
          <Col xs={12} md={4}>
            <Card size="small">
              <Statistic title={t('stats.within')} value={formatRate(tot.within_deadline_rate)} />
            </Card>
          </Col>
          <Col xs={12} md={4}>
            <Card size="small">
              <Statistic title={t('stats.dispute')} value={formatRate(data?.dispute_rate)} />
            </Card>
          </Col>
        </Row>
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('stats.chartCounts')}>
            <EChart option={countsOption} label={t('stats.chartCounts')} testid="chart-counts" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('stats.chartTimes')}>
            <EChart option={timesOption} label={t('stats.chartTimes')} testid="chart-times" />
          </Card>
        </Col>
      </Row>
      <Card size="small" style={{ marginTop: 12 }}>
        <Table<StatsRow>
          rowKey="key"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.groups ?? []}
          pagination={false}
          scroll={{ x: 1000 }}
          data-testid="stats-table"
          summary={() =>
            tot ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <b>{t('stats.totals')}</b>
                </Table.Summary.Cell>
                {(['created', 'done', 'open', 'overdue', 'transferred'] as const).map((k, i) => (
                  <Table.Summary.Cell index={i + 1} key={k} align="right">
                    <b>{tot[k] ?? 0}</b>
                  </Table.Summary.Cell>
                ))}
                {(['first_action_p50_s', 'first_action_p90_s', 'done_p50_s', 'done_p90_s'] as const).map((k, i) => (
                  <Table.Summary.Cell index={i + 6} key={k} align="right">
                    {hours(tot[k])}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={10} align="right">
                  {formatRate(tot.within_deadline_rate)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
        {tot?.collab && (
          <Space wrap size={24} style={{ marginTop: 12 }}>
            <Statistic title={t('stats.replyRate')} value={formatRate(tot.collab.reply_within_window_rate)} />
            <Statistic title={t('stats.intervention')} value={formatRate(tot.collab.intervention_rate)} />
            <Statistic title={t('stats.judgedAgainst')} value={formatRate(tot.collab.judged_against_rate)} />
            <Statistic title={t('stats.appealSuccess')} value={formatRate(tot.collab.appeal_success_rate)} />
          </Space>
        )}
      </Card>
      <TargetStats from={range[0].format('YYYY-MM-DD')} to={range[1].format('YYYY-MM-DD')} />
    </div>
  );
}
