import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useReducedMotion } from '../lib/reducedMotion';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, DatasetComponent, AriaComponent, CanvasRenderer]);

/** A tiny wrapper: one chart instance per element, resized with its box. */
export default function EChart({ option, label, testid }: { option: echarts.EChartsCoreOption; label: string; testid?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const still = useReducedMotion(); // the bars and lines drawn at once, not grown

  useEffect(() => {
    if (!el.current) return;
    chart.current = echarts.init(el.current);
    const ro = new ResizeObserver(() => chart.current?.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option, ...(still ? { animation: false } : {}) }, true);
  }, [option, still]);

  return <div ref={el} className="chart" role="img" aria-label={label} data-testid={testid} />;
}
