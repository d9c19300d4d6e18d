// 地图设施 — built in its own step (docs/api-command.md).
export default function MapAssetsPage() {
  return null;
}
