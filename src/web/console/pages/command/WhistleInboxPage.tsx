// 警种报到 — built in its own step (docs/api-command.md).
export default function WhistleInboxPage() {
  return null;
}
