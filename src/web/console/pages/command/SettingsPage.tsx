// 情指行设置 — built in its own step (docs/api-command.md).
export default function SettingsPage() {
  return null;
}
