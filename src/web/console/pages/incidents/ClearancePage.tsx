// 警情清零 — built in its own step (docs/api-command.md).
export default function ClearancePage() {
  return null;
}
