// Placeholder until the page is built.
export default function AssessmentPage() {
  return null;
}
