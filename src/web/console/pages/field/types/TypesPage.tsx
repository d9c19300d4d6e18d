// Placeholder until the page is built.
export default function TypesPage() {
  return null;
}
