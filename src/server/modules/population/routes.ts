import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import { sendListExport } from '../../platform/http/tabular.js';
import { getHousing, putHousing } from './housing.js';
import { endResidence, moveIn, residentsAt } from './residences.js';
import { HOUSING_USES, PERSON_TYPES, PROPERTY_TYPES, RELATIONS, RENTAL_REGISTRATIONS } from './rules.js';
import * as population from './service.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableDate = Type.Union([DateStr, Type.Null()]);
const Purpose = Type.String({ maxLength: 200, description: '用途（如案件编号、任务），至少 4 个字' });
const FullFlag = Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')]);

// identity numbers and phones are checked by the service, so a bad one is reported with the standard's reason
const IdNumber = Type.String({ maxLength: 40, description: '公民身份号码（GB 11643，18 位，末位 X 可小写）' });
const Phone = Type.String({ maxLength: 32 });

const PersonFields = {
  name: Type.String({ minLength: 1, maxLength: 64 }),
  phone: Phone,
  ethnicity: Type.String({ maxLength: 16 }),
  hukouAddress: Type.String({ maxLength: 200 }),
  nationality: Type.String({ maxLength: 64 }),
  passportNo: Type.String({ maxLength: 40 }),
};

export function populationRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/persons',
    {
      config: { access: 'person.write' },
      schema: {
        tags: ['population'],
        summary: '登记实有人口（clientId 重试幂等）',
        body: Type.Object(
          {
            idNumber: Type.Optional(IdNumber),
            name: PersonFields.name,
            phone: Type.Optional(PersonFields.phone),
            ethnicity: Type.Optional(PersonFields.ethnicity),
            hukouAddress: Type.Optional(PersonFields.hukouAddress),
            personType: Type.Optional(Enum(PERSON_TYPES)),
            nationality: Type.Optional(PersonFields.nationality),
            passportNo: Type.Optional(PersonFields.passportNo),
            passportExpiry: Type.Optional(DateStr),
            floatingRegisteredOn: Type.Optional(DateStr),
            expectedStayUntil: Type.Optional(DateStr),
            permitIssuedOn: Type.Optional(DateStr),
            orgUnitId: Type.Optional(Uuid),
            residence: Type.Optional(Type.Object({ addressId: Uuid, relation: Enum(RELATIONS), fromDate: DateStr }, Strict)),
            clientId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => {
      const { person, replayed } = await population.createPerson(deps, req.ctx, req.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(person);
    },
  );

  r.get(
    '/api/v1/persons',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['population'],
        summary: '人员查询（证件号、姓名、拼音、电话、地址；结果脱敏，查询留痕）',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })), personType: Type.Optional(Enum(PERSON_TYPES)), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const result = await population.searchPersons(deps, req.ctx, { q: req.query.q, personType: req.query.personType }, { limit, offset, page });
      return { ...result, page, pageSize };
    },
  );

  r.get(
    '/api/v1/persons/export',
    {
      config: { access: 'registry.export' },
      schema: {
        tags: ['population'],
        summary: '导出人员名单（XLSX 或 CSV，流式；须说明用途，证件号与电话脱敏，留痕）',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64 })),
            personType: Type.Optional(Enum(PERSON_TYPES)),
            format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' })),
            purpose: Purpose,
          },
          Strict,
        ),
      },
    },
    async (req, reply) => {
      const { total, rows } = await population.exportPersons(deps, req.ctx, { q: req.query.q, personType: req.query.personType }, req.query.purpose);
      return sendListExport(reply, { format: req.query.format, title: '实有人口', header: population.PERSON_EXPORT_HEADER, total, rows });
    },
  );

  r.get(
    '/api/v1/persons/:id',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['population'],
        summary: '人员全息档案（留痕；full=1 查看完整证件号须 person.id_full 并说明用途）',
        params: IdParams,
        querystring: Type.Object({ full: Type.Optional(FullFlag), purpose: Type.Optional(Purpose) }, Strict),
      },
    },
    (req) => population.getPerson(deps, req.ctx, req.params.id, { full: req.query.full === '1' || req.query.full === 'true', purpose: req.query.purpose }),
  );

  r.patch(
    '/api/v1/persons/:id',
    {
      config: { access: 'person.write' },
      schema: {
        tags: ['population'],
        summary: '修改人员信息',
        params: IdParams,
        body: Type.Object(
          {
            idNumber: Type.Optional(IdNumber),
            name: Type.Optional(PersonFields.name),
            phone: Type.Optional(Nullable(PersonFields.phone)),
            ethnicity: Type.Optional(Nullable(PersonFields.ethnicity)),
            hukouAddress: Type.Optional(Nullable(PersonFields.hukouAddress)),
            personType: Type.Optional(Enum(PERSON_TYPES)),
            nationality: Type.Optional(Nullable(PersonFields.nationality)),
            passportNo: Type.Optional(Nullable(PersonFields.passportNo)),
            passportExpiry: Type.Optional(NullableDate),
            floatingRegisteredOn: Type.Optional(NullableDate),
            expectedStayUntil: Type.Optional(NullableDate),
            permitIssuedOn: Type.Optional(NullableDate),
            orgUnitId: Type.Optional(Uuid),
          },
          { ...Strict, minProperties: 1 },
        ),
      },
    },
    (req) => population.updatePerson(deps, req.ctx, req.params.id, req.body),
  );

  r.get(
    '/api/v1/persons/:id/locate',
    {
      config: { access: 'person.locate' },
      schema: {
        tags: ['population'],
        summary: '人员定位：现住址与地图位置、同住人员、历史住址、就业单位（须说明用途，留痕）',
        params: IdParams,
        querystring: Type.Object({ purpose: Type.Optional(Purpose) }, Strict),
      },
    },
    (req) => population.locatePerson(deps, req.ctx, req.params.id, req.query.purpose),
  );

  r.post(
    '/api/v1/persons/:id/residences',
    {
      config: { access: 'person.write' },
      schema: {
        tags: ['population'],
        summary: '迁入（登记居住地址）',
        params: IdParams,
        body: Type.Object(
          { addressId: Uuid, relation: Enum(RELATIONS), fromDate: DateStr, toDate: Type.Optional(DateStr), closePrevious: Type.Optional(Type.Boolean()) },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await moveIn(deps, req.ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/v1/residences/:id/end',
    {
      config: { access: 'person.write' },
      schema: { tags: ['population'], summary: '迁出（结束居住记录，不删除）', params: IdParams, body: Type.Object({ toDate: DateStr }, Strict) },
    },
    (req) => endResidence(deps, req.ctx, req.params.id, req.body.toDate),
  );

  r.get(
    '/api/v1/addresses/:id/residents',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['population'],
        summary: '某日在该地址居住的人员及与户主关系（留痕）',
        params: IdParams,
        querystring: Type.Object({ date: Type.Optional(DateStr) }, Strict),
      },
    },
    (req) => residentsAt(deps, req.ctx, req.params.id, req.query.date),
  );

  r.get(
    '/api/v1/addresses/:id/housing',
    { config: { access: 'person.read' }, schema: { tags: ['population'], summary: '实有房屋信息（留痕）', params: IdParams } },
    (req) => getHousing(deps, req.ctx, req.params.id),
  );

  r.put(
    '/api/v1/addresses/:id/housing',
    {
      config: { access: 'housing.write' },
      schema: {
        tags: ['population'],
        summary: '登记或更新实有房屋（出租须填房东与租期）',
        params: IdParams,
        body: Type.Object(
          {
            ownerPersonId: Type.Optional(Type.Union([Uuid, Type.Null()])),
            ownerName: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
            ownerPhone: Type.Optional(Nullable(Phone)),
            propertyType: Type.Optional(Enum(PROPERTY_TYPES)),
            use: Enum(HOUSING_USES),
            groupRental: Type.Optional(Type.Boolean()),
            areaM2: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()])),
            rooms: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.Null()])),
            landlordPersonId: Type.Optional(Type.Union([Uuid, Type.Null()])),
            leaseFrom: Type.Optional(NullableDate),
            leaseTo: Type.Optional(NullableDate),
            rentalRegistration: Type.Optional(Type.Union([Enum(RENTAL_REGISTRATIONS), Type.Null()])),
            starRating: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()])),
          },
          Strict,
        ),
      },
    },
    (req) => putHousing(deps, req.ctx, req.params.id, req.body),
  );
}
