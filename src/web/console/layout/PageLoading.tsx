import { Spin } from 'antd';

export function PageLoading({ fullscreen = false }: { fullscreen?: boolean }) {
  return (
    <div className={fullscreen ? 'fq-loading fq-loading-full' : 'fq-loading'}>
      <Spin size="large" />
    </div>
  );
}
