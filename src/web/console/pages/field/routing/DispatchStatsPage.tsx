// Placeholder until the page is built.
export default function DispatchStatsPage() {
  return null;
}
