import { useMemo, useState } from 'react';
import { Select, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../shared/i18n';
import { usePersonPick } from '../data/population';
import type { PersonListItem } from '../data/population';
import { useDebounced } from './useDebounced';

/** What the picker knows of a chosen person (masked). */
export interface PickedPerson {
  id: string;
  name: string;
  idNumber: string | null;
  currentAddress?: string | null;
}

interface PersonOption {
  value: string;
  label: string;
  person: PickedPerson & Partial<PersonListItem>;
}

export interface PersonPickerProps {
  value?: string | null;
  onChange?: (id: string | null, person?: PickedPerson) => void;
  initial?: PickedPerson | null;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}

/**
 * Picks a registered person of the jurisdiction with the population search (GET /persons?q=): identity
 * number, name, pinyin, phone or address. Hits are masked; each search is audited, so it waits for a pause.
 */
export function PersonPicker({ value, onChange, initial, placeholder, disabled, id, ...rest }: PersonPickerProps) {
  const { t, tx } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 400);
  const [picked, setPicked] = useState<PickedPerson | null>(initial ?? null);
  const hits = usePersonPick(q);

  const options = useMemo<PersonOption[]>(() => {
    const out: PersonOption[] = (q ? (hits.data?.items ?? []) : []).map((p) => ({ value: p.id, label: p.name, person: p }));
    if (picked && picked.id === value && !out.some((o) => o.value === picked.id)) out.unshift({ value: picked.id, label: picked.name, person: picked });
    return out;
  }, [q, hits.data, picked, value]);

  return (
    <Select<string, PersonOption>
      id={id}
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      disabled={disabled}
      allowClear
      placeholder={placeholder ?? t('registry.picker.person.placeholder')}
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      options={options}
      loading={!!q && hits.isFetching}
      style={{ width: '100%' }}
      notFoundContent={!q ? t('registry.picker.person.typeMore') : hits.isFetching ? t('registry.picker.searching') : t('registry.picker.person.none')}
      labelRender={({ value: v }) => {
        const p = options.find((o) => o.value === v)?.person ?? (picked?.id === v ? picked : null);
        return p ? `${p.name}${p.idNumber ? ` ${p.idNumber}` : ''}` : String(v ?? '');
      }}
      optionRender={(opt) => {
        const p = opt.data.person;
        return (
          <div style={{ whiteSpace: 'normal', padding: '2px 0' }}>
            <Space size={6} wrap>
              <Typography.Text strong>{p.name}</Typography.Text>
              {p.idNumber ? <Typography.Text code>{p.idNumber}</Typography.Text> : null}
              {p.sex || p.age != null ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[p.sex ? tx(`registry.sex.${p.sex}`, p.sex) : null, p.age != null ? t('registry.residents.age', { age: p.age }) : null].filter(Boolean).join(' · ')}
                </Typography.Text>
              ) : null}
              {p.personType ? (
                <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
                  {tx(`registry.personType.${p.personType}`, p.personType)}
                </Tag>
              ) : null}
            </Space>
            {p.currentAddress ? <div style={{ fontSize: 12, color: 'rgba(0, 0, 0, 0.55)', wordBreak: 'break-all' }}>{p.currentAddress}</div> : null}
          </div>
        );
      }}
      onChange={(v, option) => {
        const opt = Array.isArray(option) ? option[0] : option;
        const p = opt?.person ?? null;
        setPicked(p ? { id: p.id, name: p.name, idNumber: p.idNumber ?? null, currentAddress: p.currentAddress } : null);
        setText('');
        onChange?.(v ?? null, p ?? undefined);
      }}
    />
  );
}
