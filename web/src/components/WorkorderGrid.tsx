import { Table, type TableProps } from 'antd';
import TableMeasureRowContext from 'antd/es/table/TableMeasureRowContext';
import { useContext, type ReactNode } from 'react';
import type { WorkOrder } from '../lib/types';

/**
 * A list of work orders as antd's table, on screens from 768 px (a phone shows cards instead). Its
 * own chunk: antd's Table is the largest part of the list's code, and a phone never shows it
 * (WorkorderList starts loading it with the page when the screen is wide enough).
 */
export default function WorkorderGrid({ rowSelection, ...props }: TableProps<WorkOrder>) {
  return (
    <Table<WorkOrder>
      {...props}
      rowSelection={rowSelection && { ...rowSelection, columnTitle: (all: ReactNode) => <OutsideMeasureRow>{all}</OutsideMeasureRow> }}
    />
  );
}

/** The "select all" checkbox in the header. antd's table copies each column title into a hidden
 * (aria-hidden) row that measures the columns; a checkbox there is a focusable element hidden
 * from screen readers (axe's aria-hidden-focus, Lighthouse's accessibility score), so inside
 * that row the title is only an empty box of the checkbox's width. */
function OutsideMeasureRow({ children }: { children: ReactNode }) {
  return useContext(TableMeasureRowContext) ? <span style={{ display: 'inline-block', width: 16 }} /> : <>{children}</>;
}
