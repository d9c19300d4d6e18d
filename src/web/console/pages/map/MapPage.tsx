// 警务一张图 — built in its own step (docs/api-command.md).
export default function MapPage() {
  return null;
}
