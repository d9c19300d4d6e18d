// Placeholder until the page is built.
export default function InboxPage() {
  return null;
}
