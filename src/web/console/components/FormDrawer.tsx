import type { ReactNode } from 'react';
import { Button, Drawer, Space } from 'antd';
import { useI18n } from '../../shared/i18n';
import { useIsMobile } from '../../shared/hooks/useMediaQuery';

export interface FormDrawerProps {
  title: ReactNode;
  /** Submits the form (usually `form.submit`). */
  onSubmit: () => void;
  onClose: () => void;
  saving?: boolean;
  submitText?: string;
  width?: number;
  children: ReactNode;
  'data-testid'?: string;
}

/** A drawer holding one form, with cancel and submit in its footer; full-screen on a phone. */
export function FormDrawer({ title, onSubmit, onClose, saving, submitText, width = 720, children, ...rest }: FormDrawerProps) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  return (
    <Drawer
      open
      title={title}
      onClose={onClose}
      size={isMobile ? '100%' : width}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid={rest['data-testid']}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose} disabled={saving}>
            {t('common.cancel')}
          </Button>
          <Button type="primary" onClick={onSubmit} loading={saving} data-testid="form-submit">
            {submitText ?? t('common.save')}
          </Button>
        </Space>
      }
    >
      {children}
    </Drawer>
  );
}
