export * from './domain-errors.js';
export * from './catalogue.js';
export * from './replay.js';
