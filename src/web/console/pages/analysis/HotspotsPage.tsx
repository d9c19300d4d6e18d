// 热点分析 — built in its own step (docs/api-command.md).
export default function HotspotsPage() {
  return null;
}
