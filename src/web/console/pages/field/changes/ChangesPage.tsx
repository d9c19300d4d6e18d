// Placeholder until the page is built.
export default function ChangesPage() {
  return null;
}
