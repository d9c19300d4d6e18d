export {
  computeIdCheckChar,
  isValidIdNumber,
  maskIdNumber,
  parseIdNumber,
} from './gb11643.js';
export type { IdFailureReason, IdNumberInfo, IdParseOptions, IdParseResult } from './gb11643.js';
export {
  CREDIT_CODE_ALPHABET,
  computeCreditCheckChar,
  computeOrgCodeCheckChar,
  isValidCreditCode,
  parseCreditCode,
} from './gb32100.js';
export type {
  CreditCodeInfo,
  CreditFailureReason,
  CreditParseOptions,
  CreditParseResult,
} from './gb32100.js';
