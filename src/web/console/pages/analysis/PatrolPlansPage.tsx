// 巡防建议 — built in its own step (docs/api-command.md).
export default function PatrolPlansPage() {
  return null;
}
