import dayjs from 'dayjs';
import type { DepartmentRef } from './types';

export const DATE_TIME = 'YYYY-MM-DD HH:mm:ss';
export const DATE_TIME_SHORT = 'YYYY-MM-DD HH:mm';

/** Format an ISO timestamp for display; empty values give `empty`. */
export function formatTime(value: string | null | undefined, pattern = DATE_TIME, empty = '—'): string {
  if (!value) return empty;
  const d = dayjs(value);
  return d.isValid() ? d.format(pattern) : value;
}

export function departmentName(dept: DepartmentRef): string | undefined {
  if (!dept) return undefined;
  return typeof dept === 'string' ? dept : dept.name;
}

export function departmentId(dept: DepartmentRef): string | undefined {
  if (!dept || typeof dept === 'string') return undefined;
  return dept.id;
}
