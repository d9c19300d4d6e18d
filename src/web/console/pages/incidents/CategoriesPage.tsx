// 警情分类 — built in its own step (docs/api-command.md).
export default function CategoriesPage() {
  return null;
}
