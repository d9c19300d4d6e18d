export {
  DIVISIONS_RESOURCE_DIR,
  countiesOfCity,
  fullName,
  getCity,
  getCounty,
  getProvince,
  getStreet,
  isCountyCode,
  isPlaceholderCityName,
  listProvinces,
  preloadDivisions,
  streetsOfCounty,
} from './divisions.js';
export type { City, County, Province, Street } from './divisions.js';
export { CsvSyntaxError, parseCsv, parseCsvObjects, parseCsvRecords } from './csv.js';
export type { CsvRecord } from './csv.js';
