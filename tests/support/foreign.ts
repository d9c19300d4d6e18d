import type { Deps } from '../../src/server/deps.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { createDepartment, createUnit, tree } from '../../src/server/modules/org/service.js';
import { createUser } from '../../src/server/modules/users/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';

/**
 * A second county branch (沾化分局, 371603) beside the demo one, with a station, a department and an
 * administrator: everything in it lies outside every demo account's jurisdiction.
 */
export async function addForeignBranch(deps: Deps) {
  const ctx = systemContext(Object.keys(PERMISSIONS));
  const city = (await tree(deps, ctx))[0];
  const branch = await createUnit(deps, ctx, { parentId: city.id, kind: 'branch', code: '371603', name: '滨州市公安局沾化分局' });
  const station = await createUnit(deps, ctx, { parentId: branch.id, kind: 'station', code: '371603001', name: '富国派出所' });
  const dept = await createDepartment(deps, ctx, { orgUnitId: branch.id, kind: 'partner', category: 'minzheng', name: '沾化区民政局' });
  const user = await createUser(deps, ctx, {
    username: 'zhanhua',
    displayName: '沾化管理员',
    password: 'Foreign123',
    orgUnitId: branch.id,
    roles: ['admin', 'supervisor'],
    phone: '13905439999',
    mustChangePassword: false,
  });
  return { cityId: city.id, branchId: branch.id, stationId: station.id, deptId: dept.id, userId: user.id, unitIds: [branch.id, station.id] };
}

export async function unitByCode(deps: Deps, code: string) {
  return (await orgRepository.byCode(deps.db, code))!.id;
}
