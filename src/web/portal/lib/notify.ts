// Toasts and dialogs, loaded on first use: most pages never show one, and antd-mobile's pop-ups bring their
// animation library along (a quarter of a form page's code).
import type { DialogAlertProps, DialogConfirmProps, ToastShowProps } from 'antd-mobile';

const load = () => import('./feedback');

export function toast(content: string, icon?: ToastShowProps['icon']): void {
  void load().then(({ Toast }) => Toast.show({ content, icon }));
}

export function confirmDialog(props: DialogConfirmProps): Promise<boolean> {
  return load().then(({ Dialog }) => Dialog.confirm(props));
}

export function alertDialog(props: DialogAlertProps): Promise<void> {
  return load().then(({ Dialog }) => Dialog.alert(props));
}
