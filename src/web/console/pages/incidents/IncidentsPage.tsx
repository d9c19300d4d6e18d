// 警情管理 — built in its own step (docs/api-command.md).
export default function IncidentsPage() {
  return null;
}
