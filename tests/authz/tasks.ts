import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createUser } from '../../src/server/modules/users/service.js';
import { DEFAULT_WEIGHTS } from '../../src/server/modules/field/tasks/assessment.js';
import { currentPeriod, dueDateOf } from '../../src/server/modules/field/tasks/periods.js';
import type { ModuleSpecs } from './types.js';

/** The item types task templates name, until the catalogue ships them (nothing changes when they exist). */
async function ensureTaskItemTypes(deps: Deps) {
  await deps.db.insertInto('field_categories').values({ code: 'info', name: '信息采集' }).onConflict((oc) => oc.column('code').doNothing()).execute();
  await deps.db
    .insertInto('field_item_types')
    .values({ id: uuidv7(), code: 'rental_visit', category_code: 'info', name: '出租房屋走访', form_schema: JSON.stringify({ fields: [] }), builtin: true })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

const FOREIGN_TEMPLATE_NAME = '沾化出租屋巡访模板';
const FOREIGN_WORKER_NAME = '沾化网格员欧阳';
/** Filled by `setup`. */
const ids = { grid: '', template: '' };

/**
 * Routes of field/tasks (docs/api-field.md "Tasks", "Assessment"): templates, generation, task lists, progress,
 * the worker's own tasks and figures, the assessment and its weights. The foreign template, task and worker sit in
 * 沾化; the own template is set on 学苑社区第一网格, inside every task.manage holder's unit.
 */
export const tasksSpecs: ModuleSpecs = {
  async setup(fx) {
    const deps = fx.t.deps;
    await ensureTaskItemTypes(deps);
    ids.grid = (await orgRepository.byCode(deps.db, '371602005001001'))!.id;
    ids.template = uuidv7();
    await deps.db
      .insertInto('task_templates')
      .values({ id: ids.template, org_unit_id: ids.grid, name: '矩阵出租屋走访', item_type_code: 'rental_visit', target_kind: 'rental', recurrence: 'monthly' })
      .execute();

    // ---- outside every demo jurisdiction: a template, its task and a grid worker of 沾化
    const sys = systemContext(Object.keys(PERMISSIONS));
    const fTemplate = uuidv7();
    const fTask = uuidv7();
    const fTarget = uuidv7();
    const worker = await createUser(deps, sys, { username: 'zh.gridworker', displayName: FOREIGN_WORKER_NAME, password: 'Foreign123', orgUnitId: fx.foreign.stationId, roles: ['gridworker'], mustChangePassword: false });
    await deps.db
      .insertInto('task_templates')
      .values({ id: fTemplate, org_unit_id: fx.foreign.stationId, name: FOREIGN_TEMPLATE_NAME, item_type_code: 'rental_visit', target_kind: 'rental', recurrence: 'monthly' })
      .execute();
    const period = currentPeriod('monthly');
    await deps.db
      .insertInto('tasks')
      .values({ id: fTask, template_id: fTemplate, period, grid_id: fx.foreign.stationId, county_code: '371603', worker_id: worker.id, target_kind: 'rental', target_id: fTarget, address_id: null, title: FOREIGN_TEMPLATE_NAME, due_date: dueDateOf(period) })
      .execute();
    Object.assign(fx.foreign, { taskTemplateId: fTemplate, taskId: fTask });
    fx.foreignIds.push(fTemplate, fTask, fTarget, worker.id);
    fx.foreignWords.push(FOREIGN_TEMPLATE_NAME, FOREIGN_WORKER_NAME);
  },

  specs(fx) {
    const templateBody = (orgUnitId: string) => ({ orgUnitId, name: '矩阵出租屋走访', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' });
    return {
      'GET /api/v1/task-templates': {
        own: (a) => ({ url: `/api/v1/task-templates?unitId=${a.orgUnitId}` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/task-templates?unitId=${fx.foreign.stationId}` }), expect: [404] },
      },
      'POST /api/v1/task-templates': {
        own: () => ({ url: '/api/v1/task-templates', body: templateBody(ids.grid) }),
        foreign: { sample: () => ({ url: '/api/v1/task-templates', body: templateBody(fx.foreign.stationId) }), expect: [400] },
      },
      'PUT /api/v1/task-templates/:id': {
        own: () => ({ url: `/api/v1/task-templates/${ids.template}`, body: templateBody(ids.grid) }),
        foreign: { sample: () => ({ url: `/api/v1/task-templates/${fx.foreign.taskTemplateId}`, body: templateBody(ids.grid) }), expect: [404] },
      },
      'POST /api/v1/task-templates/:id/generate': {
        own: () => ({ url: `/api/v1/task-templates/${ids.template}/generate`, body: {} }),
        foreign: { sample: () => ({ url: `/api/v1/task-templates/${fx.foreign.taskTemplateId}/generate`, body: {} }), expect: [404] },
      },
      'GET /api/v1/tasks': {
        own: (a) => ({ url: `/api/v1/tasks?unitId=${a.orgUnitId}&pageSize=200` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/tasks?unitId=${fx.foreign.stationId}` }), expect: [404] },
      },
      'GET /api/v1/tasks/progress': {
        own: (a) => ({ url: `/api/v1/tasks/progress?unitId=${a.orgUnitId}&level=worker` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/tasks/progress?unitId=${fx.foreign.stationId}&level=worker` }), expect: [404] },
      },
      'GET /api/v1/field/me/tasks': { own: () => ({ url: '/api/v1/field/me/tasks?pageSize=200' }), noLeak: true },
      'GET /api/v1/field/me/assessment': { own: () => ({ url: '/api/v1/field/me/assessment' }), noLeak: true },
      'GET /api/v1/assessment/field': {
        own: (a) => ({ url: `/api/v1/assessment/field?unitId=${a.orgUnitId}` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/assessment/field?unitId=${fx.foreign.branchId}` }), expect: [404] },
      },
      'GET /api/v1/assessment/field/weights': { own: () => ({ url: '/api/v1/assessment/field/weights' }) },
      'PUT /api/v1/assessment/field/weights': { own: () => ({ url: '/api/v1/assessment/field/weights', body: DEFAULT_WEIGHTS }) },
    };
  },
};
