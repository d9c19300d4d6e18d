// 义务巡逻队 — built in its own step (docs/api-command.md).
export default function TeamsPage() {
  return null;
}
