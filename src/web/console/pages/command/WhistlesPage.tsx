// 派出所吹哨 — built in its own step (docs/api-command.md).
export default function WhistlesPage() {
  return null;
}
