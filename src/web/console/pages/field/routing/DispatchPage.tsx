// Placeholder until the page is built.
export default function DispatchPage() {
  return null;
}
