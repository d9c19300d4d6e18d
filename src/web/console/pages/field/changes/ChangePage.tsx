// Placeholder until the page is built.
export default function ChangePage() {
  return null;
}
