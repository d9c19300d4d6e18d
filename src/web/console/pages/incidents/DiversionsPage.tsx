// 分流事项 — built in its own step (docs/api-command.md).
export default function DiversionsPage() {
  return null;
}
