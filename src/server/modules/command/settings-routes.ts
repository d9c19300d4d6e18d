import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Strict } from '../../platform/http/schemas.js';
import { DIRECTIVE_LEVELS, getCommandSettings, putCommandSettings } from './settings.js';

const Level = Type.Union(DIRECTIVE_LEVELS.map((l) => Type.Literal(l)));
const Int = Type.Integer();

const SettingsBody = Type.Object(
  {
    map: Type.Optional(
      Type.Object(
        {
          tileUrl: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
          tileAttribution: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
          ringSpeedKmh: Int,
          ringMinutes: Type.Array(Int, { maxItems: 5 }),
        },
        Strict,
      ),
    ),
    directives: Type.Optional(
      Type.Object({ signMinutes: Type.Object({ red: Int, orange: Int, blue: Int, green: Int }, Strict), smsLevels: Type.Array(Level, { maxItems: 4 }) }, Strict),
    ),
    patrol: Type.Optional(Type.Object({ basisDays: Int, pointsPerShift: Int, pointsPerHour: Int, absencePenalty: Int }, Strict)),
  },
  Strict,
);

/** GET/PUT /api/v1/command-settings (docs/api-command.md "Settings"). */
export function commandSettingsRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/command-settings', { config: { access: 'staff' }, schema: { tags: ['command'], summary: '情指行设置（底图、处置圈、指令签收时限、短信级别、巡逻积分）' } }, () =>
    getCommandSettings(deps),
  );
  r.put(
    '/api/v1/command-settings',
    { config: { access: 'incident.configure' }, schema: { tags: ['command'], summary: '修改情指行设置（只替换提交的部分）', body: SettingsBody } },
    (req) => putCommandSettings(deps, req.ctx, req.body),
  );
}
