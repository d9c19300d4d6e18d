import { Select } from 'antd';
import type { DepartmentKind } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { DEPARTMENT_CATEGORIES } from '../../data/departmentCategories';

interface Props {
  kind: DepartmentKind;
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}

/** The category of a department; the choices depend on its kind. */
export function CategoryInput({ kind, value, onChange, id }: Props) {
  const { t, tx } = useI18n();
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      placeholder={t('dept.field.category.placeholder')}
      options={DEPARTMENT_CATEGORIES[kind].map((c) => ({ value: c, label: tx(`dept.category.${kind}.${c}`, c) }))}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}
