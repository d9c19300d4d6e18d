// 指令签收 — built in its own step (docs/api-command.md).
export default function DirectiveInboxPage() {
  return null;
}
