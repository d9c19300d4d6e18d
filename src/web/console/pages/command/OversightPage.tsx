// 时效督办 — built in its own step (docs/api-command.md).
export default function OversightPage() {
  return null;
}
