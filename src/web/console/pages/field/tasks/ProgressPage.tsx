// Placeholder until the page is built.
export default function ProgressPage() {
  return null;
}
