// Placeholder until the page is built.
export default function ItemPage() {
  return null;
}
