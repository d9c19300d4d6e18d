// 吹哨详情 — built in its own step (docs/api-command.md).
export default function WhistlePage() {
  return null;
}
