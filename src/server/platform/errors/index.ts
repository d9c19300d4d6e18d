export * from './domain-errors.js';
export * from './catalogue.js';
