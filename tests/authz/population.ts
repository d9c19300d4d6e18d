import type { Deps } from '../../src/server/deps.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { createUnit as createOrgUnit } from '../../src/server/modules/org/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createPerson } from '../../src/server/modules/population/service.js';
import { putHousing } from '../../src/server/modules/population/housing.js';
import { populationRepository } from '../../src/server/modules/population/repository.js';
import { addEmployee, createUnit } from '../../src/server/modules/units/service.js';
import { insertAddress, makeCreditCode, makeIdNumber } from '../support/registry-fixtures.js';
import type { ModuleSpecs } from './types.js';

/** What each demo account gets inside its own jurisdiction (the records its own requests act on). */
interface Own {
  /** A person living at `home` (householder). */
  personId: string;
  /** A person in the actor's own unit with no residence: moves in and gets employed by the matrix. */
  moverId: string;
  /** A current residence (of a second person at `home`) that the matrix ends. */
  residenceId: string;
  home: string;
  /** An empty address to move into. */
  spare: string;
  unitId: string;
  /** An open employment at `unitId` that the matrix ends. */
  employmentId: string;
}

const sys = () => systemContext(Object.keys(PERMISSIONS));
/** Filled by `setup`, read by the specs (both run once per matrix file). */
const ownByActor = new Map<string, Own>();
const FOREIGN_NAME = '欧阳远方';

/** A grid in the foreign branch (沾化, 371603): community 371603001002 and grid 371603001002001 under its station. */
async function foreignGrid(deps: Deps, stationId: string) {
  const ensure = async (parentId: string, kind: 'community' | 'grid', code: string, name: string) =>
    (await orgRepository.byCode(deps.db, code))?.id ?? (await createOrgUnit(deps, sys(), { parentId, kind, code, name })).id;
  const community = await ensure(stationId, 'community', '371603001002', '沾化富国第二社区警务区');
  const grid = await ensure(community, 'grid', '371603001002001', '沾化富国第二社区第一网格');
  return { community, grid };
}

/**
 * Actual population, housing and units: persons, residences, co-residents, housing, search, locate, units and
 * employees. The foreign records sit in 沾化; every demo account gets its own person, residence, address, unit
 * and employment inside its own unit.
 */
export const populationSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;

    // ---- outside every demo jurisdiction
    const { community, grid } = await foreignGrid(deps, fx.foreign.stationId);
    const addr = await insertAddress(deps, { grid, countyCode: '371603', fullText: '山东省滨州市沾化区富国街道富源社区金海一路18号2号楼1单元301室' });
    const foreignId = makeIdNumber(90_001, { region: '371603' });
    const { person } = await createPerson(deps, sys(), { idNumber: foreignId, name: FOREIGN_NAME, phone: '13905439876', residence: { addressId: addr.id, relation: 'householder', fromDate: '2018-01-01' } });
    const residence = (await populationRepository.residencesOfPerson(deps.db, person.id))[0];
    const unit = await createUnit(deps, sys(), { creditCode: makeCreditCode(90_001, '91371603'), name: '沾化远方渔业有限公司', keyIndustry: 'precursor_chemical', addressId: addr.id });
    const employment = await addEmployee(deps, sys(), unit.id, { personId: person.id, role: '经理', fromDate: '2019-01-01' });
    await putHousing(deps, sys(), addr.id, { use: 'self', ownerPersonId: person.id });
    Object.assign(fx.foreign, { personId: person.id, addressId: addr.id, residenceId: residence.id, unitId: unit.id, employmentId: employment.id });
    fx.foreignIds.push(person.id, addr.id, residence.id, unit.id, employment.id, community, grid, foreignId);
    fx.foreignWords.push(FOREIGN_NAME, 'ouyangyuanfang', '远方渔业', '金海一路');

    // ---- inside each actor's jurisdiction (学苑社区第一网格 lies inside every demo account's unit)
    const grid1 = (await orgRepository.byCode(deps.db, '371602005001001'))!.id;
    for (const a of actors) {
      const n = fx.next();
      const home = await insertAddress(deps, { grid: grid1 });
      const spare = await insertAddress(deps, { grid: grid1 });
      const p = await createPerson(deps, sys(), { idNumber: makeIdNumber(80_000 + n), name: `欧阳矩阵${n}`, residence: { addressId: home.id, relation: 'householder', fromDate: '2020-01-01' } });
      const spouse = await createPerson(deps, sys(), { idNumber: makeIdNumber(81_000 + n), name: `欧阳同住${n}`, residence: { addressId: home.id, relation: 'spouse', fromDate: '2020-01-01' } });
      const mover = await createPerson(deps, sys(), { idNumber: makeIdNumber(82_000 + n), name: `欧阳迁入${n}`, orgUnitId: a.orgUnitId });
      const u = await createUnit(deps, sys(), { creditCode: makeCreditCode(80_000 + n), name: `矩阵测试${n}有限公司`, orgUnitId: a.orgUnitId });
      const e = await addEmployee(deps, sys(), u.id, { personId: p.person.id, role: '职员', fromDate: '2021-01-01' });
      ownByActor.set(a.username, {
        personId: p.person.id,
        moverId: mover.person.id,
        residenceId: (await populationRepository.residencesOfPerson(deps.db, spouse.person.id))[0].id,
        home: home.id,
        spare: spare.id,
        unitId: u.id,
        employmentId: e.id,
      });
    }
  },

  specs: (fx) => {
    const own = (username: string) => ownByActor.get(username)!;
    const purpose = `purpose=${encodeURIComponent('矩阵权限核查')}`;
    return {
      'POST /api/v1/persons': {
        own: (a) => ({ url: '/api/v1/persons', body: { idNumber: makeIdNumber(70_000 + fx.next()), name: '欧阳新登记', orgUnitId: a.orgUnitId } }),
        foreign: { sample: () => ({ url: '/api/v1/persons', body: { idNumber: makeIdNumber(70_000 + fx.next()), name: '越权登记', orgUnitId: fx.foreign.branchId } }), expect: [400] },
      },
      'GET /api/v1/persons/export': { own: () => ({ url: `/api/v1/persons/export?format=csv&purpose=${encodeURIComponent('矩阵核查导出')}` }), noLeak: true },
      'GET /api/v1/persons': { own: () => ({ url: `/api/v1/persons?q=${encodeURIComponent('欧阳')}&pageSize=200` }), noLeak: true },
      'GET /api/v1/persons/:id': {
        own: (a) => ({ url: `/api/v1/persons/${own(a.username).personId}` }),
        foreign: { sample: () => ({ url: `/api/v1/persons/${fx.foreign.personId}` }), expect: [404] },
      },
      'PATCH /api/v1/persons/:id': {
        own: (a) => ({ url: `/api/v1/persons/${own(a.username).personId}`, body: { phone: '13700001111' } }),
        foreign: { sample: () => ({ url: `/api/v1/persons/${fx.foreign.personId}`, body: { phone: '13700002222' } }), expect: [404] },
      },
      'GET /api/v1/persons/:id/locate': {
        own: (a) => ({ url: `/api/v1/persons/${own(a.username).personId}/locate?${purpose}` }),
        // with 协查 a stated purpose opens the foreign record (tests/population.test.ts covers it, flagged in the
        // audit log); here such callers send none and are refused before any look-up
        foreign: {
          sample: (a) => ({ url: `/api/v1/persons/${fx.foreign.personId}/locate${a.permissions.has('xiecha') ? '' : `?${purpose}`}` }),
          expect: [404, 400],
        },
      },
      'POST /api/v1/persons/:id/residences': {
        own: (a) => ({ url: `/api/v1/persons/${own(a.username).moverId}/residences`, body: { addressId: own(a.username).spare, relation: 'tenant', fromDate: '2024-01-01' } }),
        foreign: {
          sample: (a) => ({ url: `/api/v1/persons/${fx.foreign.personId}/residences`, body: { addressId: own(a.username).spare, relation: 'tenant', fromDate: '2024-01-01', closePrevious: true } }),
          expect: [404],
        },
      },
      'POST /api/v1/residences/:id/end': {
        own: (a) => ({ url: `/api/v1/residences/${own(a.username).residenceId}/end`, body: { toDate: '2025-01-01' } }),
        foreign: { sample: () => ({ url: `/api/v1/residences/${fx.foreign.residenceId}/end`, body: { toDate: '2025-01-01' } }), expect: [404] },
      },
      'GET /api/v1/addresses/:id/residents': {
        own: (a) => ({ url: `/api/v1/addresses/${own(a.username).home}/residents?date=2022-01-01` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}/residents` }), expect: [404] },
      },
      'GET /api/v1/addresses/:id/housing': {
        own: (a) => ({ url: `/api/v1/addresses/${own(a.username).home}/housing` }),
        foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}/housing` }), expect: [404] },
      },
      'PUT /api/v1/addresses/:id/housing': {
        own: (a) => ({
          url: `/api/v1/addresses/${own(a.username).home}/housing`,
          body: { use: 'rent', landlordPersonId: own(a.username).personId, leaseFrom: '2025-01-01', leaseTo: '2026-12-31', rentalRegistration: 'registered' },
        }),
        foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}/housing`, body: { use: 'vacant' } }), expect: [404] },
      },
      'POST /api/v1/units': {
        own: (a) => ({ url: '/api/v1/units', body: { creditCode: makeCreditCode(70_000 + fx.next()), name: '矩阵新登记有限公司', orgUnitId: a.orgUnitId } }),
        foreign: { sample: () => ({ url: '/api/v1/units', body: { creditCode: makeCreditCode(70_000 + fx.next()), name: '越权单位', orgUnitId: fx.foreign.branchId } }), expect: [400] },
      },
      'GET /api/v1/units': {
        own: () => ({ url: `/api/v1/units?q=${encodeURIComponent('有限公司')}&pageSize=200` }),
        noLeak: true,
        // the foreign unit's address as the filter: nothing, not the unit
        foreign: { sample: () => ({ url: `/api/v1/units?addressId=${fx.foreign.addressId}` }), expect: [200] },
      },
      'GET /api/v1/units/export': {
        own: () => ({ url: `/api/v1/units/export?format=csv&purpose=${encodeURIComponent('矩阵核查导出')}` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/units/export?format=csv&addressId=${fx.foreign.addressId}&purpose=${encodeURIComponent('越权导出核查')}` }), expect: [200] },
      },
      'GET /api/v1/units/:id': {
        own: (a) => ({ url: `/api/v1/units/${own(a.username).unitId}` }),
        foreign: { sample: () => ({ url: `/api/v1/units/${fx.foreign.unitId}` }), expect: [404] },
      },
      'PATCH /api/v1/units/:id': {
        own: (a) => ({ url: `/api/v1/units/${own(a.username).unitId}`, body: { contactName: '矩阵联系人' } }),
        foreign: { sample: () => ({ url: `/api/v1/units/${fx.foreign.unitId}`, body: { contactName: '越权' } }), expect: [404] },
      },
      'POST /api/v1/units/:id/employees': {
        own: (a) => ({ url: `/api/v1/units/${own(a.username).unitId}/employees`, body: { personId: own(a.username).moverId, role: '临时工', fromDate: '2024-02-01' } }),
        foreign: {
          sample: (a) => ({ url: `/api/v1/units/${fx.foreign.unitId}/employees`, body: { personId: own(a.username).moverId, fromDate: '2024-02-01' } }),
          expect: [404],
        },
      },
      'POST /api/v1/employments/:id/end': {
        own: (a) => ({ url: `/api/v1/employments/${own(a.username).employmentId}/end`, body: { toDate: '2025-01-01' } }),
        foreign: { sample: () => ({ url: `/api/v1/employments/${fx.foreign.employmentId}/end`, body: { toDate: '2025-01-01' } }), expect: [404] },
      },
    };
  },
};
