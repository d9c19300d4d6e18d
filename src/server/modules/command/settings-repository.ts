import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

/** command_settings: one JSON value per section (map, directives, patrol). */
export const commandSettingsRepository = {
  async all(db: Db): Promise<Array<{ key: string; value: unknown }>> {
    return db.selectFrom('command_settings').select(['key', 'value']).execute();
  },

  async put(db: Db, key: string, value: unknown, by: string | null) {
    const json = JSON.stringify(value);
    await db
      .insertInto('command_settings')
      .values({ key, value: json, updated_by: by, updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_by: by, updated_at: new Date() }))
      .execute();
  },
};
