// Placeholder until the page is built.
export default function RulesPage() {
  return null;
}
