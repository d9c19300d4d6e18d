import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Select, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import type { Page } from '../../shared/types';
import { matchAddresses } from '../data/registry';
import { useDebounced } from './useDebounced';
import type { Address, AddressLevel } from '../data/registry';

/** What the picker knows of a chosen address (enough to show its standard text). */
export interface PickedAddress {
  id: string;
  fullText: string;
  level?: AddressLevel;
  levelName?: string;
  name?: string;
}

interface AddressOption {
  value: string;
  label: string;
  address: PickedAddress;
  score?: number;
  disabled?: boolean;
}

export interface AddressPickerProps {
  value?: string | null;
  onChange?: (id: string | null, address?: PickedAddress) => void;
  /** The address already recorded (edit forms), shown before any search. */
  initial?: PickedAddress | null;
  /** Levels that may be chosen; others are listed but disabled (e.g. a residence needs a dwelling). */
  levels?: readonly AddressLevel[];
  placeholder?: string;
  /** Shown under the picker until an address is chosen (then its full standard text is shown). */
  hint?: ReactNode;
  disabled?: boolean;
  allowClear?: boolean;
  id?: string;
  'data-testid'?: string;
}

const tagStyle = { marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 } as const;

/**
 * Picks a standard address of the caller's scope by free text: the best scored candidates of
 * POST /addresses/match first (「黄河九路18号3-2-501」 finds 3号楼2单元501室), then addresses whose full text
 * or code contains the text (GET /addresses?q=). Shows each candidate's full standard text.
 */
export function AddressPicker({ value, onChange, initial, levels, placeholder, hint, disabled, allowClear = true, id, ...rest }: AddressPickerProps) {
  const { t, tx } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 350);
  // the chosen address stays known while the candidates change
  const [picked, setPicked] = useState<PickedAddress | null>(initial ?? null);
  useEffect(() => {
    if (initial && initial.id === value) setPicked(initial);
  }, [initial, value]);

  const match = useQuery({
    queryKey: ['registry', 'addresses', 'match', q],
    queryFn: () => matchAddresses(q, 10),
    enabled: q.length >= 2,
    staleTime: 60_000,
  });
  const contains = useQuery({
    queryKey: ['registry', 'addresses', 'pick', q],
    queryFn: () => api.get<Page<Address>>('/addresses', { q, status: 'active', pageSize: 10 }),
    enabled: q.length >= 2,
    staleTime: 60_000,
  });

  const options = useMemo<AddressOption[]>(() => {
    const seen = new Set<string>();
    const out: AddressOption[] = [];
    const add = (a: PickedAddress & { status?: string }, score?: number) => {
      if (seen.has(a.id)) return;
      seen.add(a.id);
      const wrongLevel = !!levels && !!a.level && !levels.includes(a.level);
      out.push({ value: a.id, label: a.fullText, address: a, score, disabled: wrongLevel || a.status === 'inactive' });
    };
    if (q.length >= 2) {
      for (const m of match.data?.items ?? []) add(m, m.score);
      for (const a of contains.data?.items ?? []) add(a);
    }
    if (picked && picked.id === value && !seen.has(picked.id)) out.unshift({ value: picked.id, label: picked.fullText, address: picked });
    return out;
  }, [q, match.data, contains.data, picked, value, levels]);

  const loading = q.length >= 2 && (match.isFetching || contains.isFetching);
  const shown = picked && picked.id === value ? picked : null;

  return (
    <div className="fq-address-picker" data-testid={rest['data-testid']}>
      <Select<string, AddressOption>
        id={id}
        value={value ?? undefined}
        disabled={disabled}
        allowClear={allowClear}
        placeholder={placeholder ?? t('registry.picker.address.placeholder')}
        showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
        options={options}
        loading={loading}
        style={{ width: '100%' }}
        popupMatchSelectWidth
        notFoundContent={
          q.length < 2 ? t('registry.picker.address.typeMore') : loading ? t('registry.picker.searching') : t('registry.picker.address.none')
        }
        optionRender={(opt) => {
          const a = opt.data.address;
          return (
            <div style={{ whiteSpace: 'normal', padding: '2px 0' }}>
              <Space size={4} wrap>
                {a.name ? <Typography.Text strong>{a.name}</Typography.Text> : null}
                {a.level ? (
                  <Tag variant="filled" style={tagStyle}>
                    {tx(`registry.level.${a.level}`, a.levelName ?? a.level)}
                  </Tag>
                ) : null}
                {opt.data.score != null ? (
                  <Tag color="blue" style={tagStyle}>
                    {t('registry.picker.address.score', { score: Math.round(opt.data.score * 100) })}
                  </Tag>
                ) : null}
                {opt.data.disabled ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('registry.picker.address.notAllowed')}
                  </Typography.Text>
                ) : null}
              </Space>
              <div style={{ fontSize: 12, color: 'rgba(0, 0, 0, 0.55)', wordBreak: 'break-all' }}>{a.fullText}</div>
            </div>
          );
        }}
        onChange={(v, option) => {
          const opt = Array.isArray(option) ? option[0] : option;
          const a = opt?.address ?? null;
          setPicked(a);
          setText('');
          onChange?.(v ?? null, a ?? undefined);
        }}
      />
      {shown ? (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4, wordBreak: 'break-all' }} data-testid="address-picked">
          {t('registry.picker.address.chosen')}
          {shown.fullText}
        </Typography.Text>
      ) : hint ? (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
          {hint}
        </Typography.Text>
      ) : null}
    </div>
  );
}
