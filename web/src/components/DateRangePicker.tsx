import { DatePicker } from 'antd';
import type { ComponentProps } from 'react';

/** antd's date range picker, as a chunk of its own: the list shows it only under 更多筛选, so a
 * page that never opens them does not download it (ListFilters' RangeField loads it). */
export default function DateRangePicker(props: ComponentProps<typeof DatePicker.RangePicker>) {
  return <DatePicker.RangePicker {...props} />;
}
