// Placeholder until the page is built.
export default function TemplatesPage() {
  return null;
}
