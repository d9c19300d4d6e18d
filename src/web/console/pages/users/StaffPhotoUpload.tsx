import { useState } from 'react';
import { App, Avatar, Button, Flex, Typography, Upload } from 'antd';
import { UploadOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useI18n } from '../../../shared/i18n';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PHOTO_MAX_BYTES, PHOTO_TYPES, staffPhotoUrl, uploadStaffPhoto } from '../../data/portal';

/** Photos replaced in this session: the published photo is cached for minutes, so later views ask for the new one. */
const replacedAt = new Map<string, number>();

/**
 * The photo residents see on a plate page next to the officer's name. Shows the published photo if there is one
 * and replaces it with an uploaded image (JPEG, PNG or WebP, at most 2 MB; sent as the request body).
 */
export function StaffPhotoUpload({ userId, hasPhoto }: { userId: string; hasPhoto?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [version, setVersion] = useState(() => replacedAt.get(userId) ?? 0);
  // whether the published photo failed to load; an account known to have none does not ask
  const [missing, setMissing] = useState(hasPhoto === false);
  const [stored, setStored] = useState(hasPhoto !== false);
  const upload = useMutation({
    mutationFn: (file: File) => uploadStaffPhoto(userId, file),
    onSuccess: () => {
      setMissing(false);
      setStored(true);
      const now = Date.now();
      replacedAt.set(userId, now);
      setVersion(now);
      message.success(t('user.photo.uploaded'));
    },
    onError: notifyError,
  });
  const src = staffPhotoUrl(userId, version || undefined);

  return (
    <Flex gap={16} align="center" wrap data-testid="staff-photo">
      {missing ? (
        <Avatar shape="square" size={96} icon={<UserOutlined />} />
      ) : (
        <img
          key={src}
          src={src}
          alt={t('user.photo')}
          onError={() => setMissing(true)}
          style={{ width: 96, height: 120, objectFit: 'cover', borderRadius: 6, border: '1px solid rgba(5, 5, 5, 0.08)', background: '#f5f7fa' }}
        />
      )}
      <div>
        <Upload
          accept={PHOTO_TYPES.join(',')}
          showUploadList={false}
          beforeUpload={(file) => {
            if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) {
              message.error(t('user.photo.type'));
              return Upload.LIST_IGNORE;
            }
            if (file.size > PHOTO_MAX_BYTES) {
              message.error(t('user.photo.size'));
              return Upload.LIST_IGNORE;
            }
            upload.mutate(file);
            // the file goes out through our own request, not the component's
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="staff-photo-upload">
            {missing && !stored ? t('user.photo.upload') : t('user.photo.replace')}
          </Button>
        </Upload>
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 6 }}>
          {!missing ? t('user.photo.current') : stored && hasPhoto !== undefined ? t('user.photo.unpublished') : t('user.photo.none')}
        </Typography.Text>
      </div>
    </Flex>
  );
}
