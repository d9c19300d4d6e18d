/**
 * The LIKE pattern of a jurisdiction: every org unit whose materialised path starts with the scope's path.
 * Paths are built from UUIDs and slashes, so they hold no LIKE wildcards to escape.
 */
export const subtreePattern = (scopePath: string) => `${scopePath}%`;
