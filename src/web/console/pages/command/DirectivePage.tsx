// 指令详情 — built in its own step (docs/api-command.md).
export default function DirectivePage() {
  return null;
}
