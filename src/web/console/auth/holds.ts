/** Whether `permissions` include the one asked for (for a list: any one of them); none asked = yes. */
export function holds(permissions: readonly string[] | undefined, asked: string | readonly string[] | undefined): boolean {
  if (!asked) return true;
  if (!permissions) return false;
  return typeof asked === 'string' ? permissions.includes(asked) : asked.some((p) => permissions.includes(p));
}
