import { describe, expect, it } from 'vitest';
import { countLabel, filterPath, filterQuery, isShowing, type SavedFilter } from './savedFilters';

const f = (over: Partial<SavedFilter>): SavedFilter => ({
  id: '1',
  name: 'x',
  view: 'shop',
  query: '',
  shared: false,
  can_manage: true,
  count: 3,
  count_capped: false,
  ...over,
});

describe('saved filters', () => {
  it('keeps the filter part of the address, not the platform shop nor blanks', () => {
    expect(filterQuery(new URLSearchParams('state=open&shop_id=5&q=%E9%80%80%E6%AC%BE&buyer='))).toBe('state=open&q=%E9%80%80%E6%AC%BE');
    expect(filterQuery(new URLSearchParams(''))).toBe('');
  });
  it('opens at its list with its filter', () => {
    expect(filterPath(f({ view: 'overdue', query: 'type=shipping' }))).toBe('/list/overdue?type=shipping');
    expect(filterPath(f({ view: 'todo' }))).toBe('/list/todo');
  });
  it('knows the list showing it, whatever the order of the parameters', () => {
    const x = f({ view: 'shop', query: 'type=shipping&state=open' });
    expect(isShowing(x, 'shop', new URLSearchParams('state=open&type=shipping'))).toBe(true);
    expect(isShowing(x, 'todo', new URLSearchParams('state=open&type=shipping'))).toBe(false);
    expect(isShowing(x, 'shop', new URLSearchParams('state=open'))).toBe(false);
  });
  it('keeps the custom field as the API reads it, and opens it as the field filter of the list page', () => {
    const page = new URLSearchParams('type=x-1001&field_key=x1001_grade&field_value=A&shop_id=5');
    const query = filterQuery(page);
    expect(query).toBe('type=x-1001&field%5Bx1001_grade%5D=A');
    const x = f({ view: 'shop', query });
    expect(filterPath(x)).toBe('/list/shop?type=x-1001&field_key=x1001_grade&field_value=A');
    expect(isShowing(x, 'shop', page)).toBe(true);
    expect(isShowing(x, 'shop', new URLSearchParams('type=x-1001&field_key=x1001_grade&field_value=B'))).toBe(false);
    expect(isShowing(f({ view: 'shop', query: 'type=x-1001' }), 'shop', page)).toBe(false);
    // a key without a value is no filter (the list does not send it)
    expect(filterQuery(new URLSearchParams('field_key=x1001_grade'))).toBe('');
  });
  it('shows a capped count with a plus, and no count as nothing', () => {
    expect(countLabel(f({ count: 1000, count_capped: true }))).toBe('1000+');
    expect(countLabel(f({ count: 0 }))).toBe('0');
    expect(countLabel(f({ count: null }))).toBe('');
  });
});
