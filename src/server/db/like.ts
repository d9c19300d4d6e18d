/** Escapes LIKE wildcards so user text matches literally (PostgreSQL's default escape character is `\`). */
export const likeEscape = (s: string) => s.replace(/[%_\\]/g, '\\$&');
