// 四色预警指令 — built in its own step (docs/api-command.md).
export default function DirectivesPage() {
  return null;
}
