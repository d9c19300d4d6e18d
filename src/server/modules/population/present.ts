import type { Deps } from '../../deps.js';
import { decryptField } from '../../platform/crypto/fields.js';
import { maskPhone } from '../../platform/http/schemas.js';
import type { EmploymentRow } from '../units/repository.js';
import type { PersonRow } from './repository.js';
import { ageOn, nextEndorsement, PERSON_TYPE_NAMES, RELATION_NAMES, type PersonType, type Relation } from './rules.js';

interface IdParts {
  id_kind: string;
  region_code: string | null;
  id_last4: string | null;
  id_legacy: boolean;
}

/**
 * The masked identity number, built from the parts kept in clear (region code and last four), so a list never
 * decrypts anything: `371602********1234` (15-digit legacy numbers: 5 asterisks), the same shape as
 * `maskIdNumber`. Birth dates are never shown beside a masked number: together they would restore it.
 */
export function maskedIdOf(p: IdParts): string | null {
  if (p.id_kind !== 'resident_id' || !p.region_code || !p.id_last4) return null;
  return `${p.region_code}${'*'.repeat(p.id_legacy ? 5 : 8)}${p.id_last4}`;
}

export function maskPassport(no: string): string {
  return no.length <= 4 ? '*'.repeat(no.length) : `${no.slice(0, 1)}${'*'.repeat(no.length - 4)}${no.slice(-3)}`;
}

export interface PresentOptions {
  today: string;
  /** Full identity / passport number (person.id_full, audited as person.view_id). */
  fullId?: boolean;
  /** Full phone number (single audited views); lists mask it. */
  fullPhone?: boolean;
}

/** One person's record. */
export function presentPerson(deps: Deps, p: PersonRow, o: PresentOptions) {
  const passport = p.passport_no_cipher ? decryptField(deps.config.keys.data, p.passport_no_cipher) : null;
  return {
    id: p.id,
    name: p.name,
    namePinyin: p.name_pinyin,
    nameInitials: p.name_initials,
    personType: p.person_type,
    personTypeName: PERSON_TYPE_NAMES[p.person_type as PersonType],
    idKind: p.id_kind,
    idNumber: o.fullId && p.id_cipher ? decryptField(deps.config.keys.data, p.id_cipher) : maskedIdOf(p),
    idMasked: !(o.fullId && p.id_cipher),
    /** A 15-digit number from old records, to be upgraded to 18 digits. */
    idLegacy: p.id_legacy,
    sex: p.sex,
    age: ageOn(p.birth_date, o.today),
    birthDate: o.fullId ? p.birth_date : null,
    ethnicity: p.ethnicity,
    phone: o.fullPhone ? p.phone : maskPhone(p.phone),
    hukouAddress: p.hukou_address,
    nationality: p.nationality,
    passportNo: passport === null ? null : o.fullId ? passport : maskPassport(passport),
    passportExpiry: p.passport_expiry,
    floatingRegisteredOn: p.floating_registered_on,
    expectedStayUntil: p.expected_stay_until,
    permitIssuedOn: p.permit_issued_on,
    permitEndorsement: p.permit_issued_on ? nextEndorsement(p.permit_issued_on, o.today) : null,
    orgUnit: { id: p.org_unit_id, name: p.org_unit_name },
    createdAt: new Date(p.created_at).toISOString(),
    updatedAt: new Date(p.updated_at).toISOString(),
  };
}

/** A person as a row of a list: masked, no birth date. */
export function presentPersonSummary(p: PersonRow & { current_address?: string | null }, today: string) {
  return {
    id: p.id,
    name: p.name,
    sex: p.sex,
    age: ageOn(p.birth_date, today),
    idNumber: maskedIdOf(p),
    personType: p.person_type,
    phone: maskPhone(p.phone),
    orgUnit: { id: p.org_unit_id, name: p.org_unit_name },
    currentAddress: p.current_address ?? null,
  };
}

export interface ResidentRow extends IdParts {
  residence_id: string;
  person_id: string;
  relation: string;
  from_date: string;
  to_date: string | null;
  name: string;
  sex: string | null;
  birth_date: string | null;
  person_type: string;
}

export function presentResident(r: ResidentRow, today: string) {
  return {
    residenceId: r.residence_id,
    personId: r.person_id,
    name: r.name,
    sex: r.sex,
    age: ageOn(r.birth_date, today),
    idNumber: maskedIdOf(r),
    personType: r.person_type,
    relation: r.relation,
    relationName: RELATION_NAMES[r.relation as Relation] ?? r.relation,
    fromDate: r.from_date,
    toDate: r.to_date,
  };
}

export interface ResidenceWithAddress {
  id: string;
  person_id: string;
  address_id: string;
  relation: string;
  from_date: string;
  to_date: string | null;
  source: string;
  full_text: string;
  lng: number | null;
  lat: number | null;
  grid_id: string;
  grid_name: string;
}

export function presentResidence(r: ResidenceWithAddress) {
  return {
    id: r.id,
    personId: r.person_id,
    relation: r.relation,
    relationName: RELATION_NAMES[r.relation as Relation] ?? r.relation,
    fromDate: r.from_date,
    toDate: r.to_date,
    current: r.to_date === null,
    source: r.source,
    address: { id: r.address_id, fullText: r.full_text, lng: r.lng, lat: r.lat, grid: { id: r.grid_id, name: r.grid_name } },
  };
}

export function presentEmployment(e: EmploymentRow, today: string) {
  return {
    id: e.id,
    unit: { id: e.unit_id, name: e.unit_name, keyIndustry: e.unit_key_industry, address: e.unit_address_text },
    person: {
      id: e.person_id,
      name: e.person_name,
      sex: e.person_sex,
      age: ageOn(e.person_birth_date, today),
      idNumber: maskedIdOf({ id_kind: e.person_id_kind, region_code: e.person_region_code, id_last4: e.person_id_last4, id_legacy: e.person_id_legacy }),
    },
    role: e.role,
    fromDate: e.from_date,
    toDate: e.to_date,
    current: e.to_date === null,
  };
}
