import type { DepartmentKind } from '../../shared/types';

/** Category codes the server accepts per department kind (labels live in the i18n files). */
export const DEPARTMENT_CATEGORIES: Record<DepartmentKind, readonly string[]> = {
  internal: ['zhian', 'huzheng', 'fazhi', 'xingzhen', 'zhihui', 'other'],
  partner: ['zongzhi', 'minzheng', 'weijian', 'xiaofang', 'yingji', 'chengguan', 'shichang', 'fayuan', 'sifa', 'fulian', 'hotline12345', 'other'],
};
