// Placeholder until the page is built.
export default function ItemsPage() {
  return null;
}
