// 巡逻记录 — built in its own step (docs/api-command.md).
export default function PatrolsPage() {
  return null;
}
