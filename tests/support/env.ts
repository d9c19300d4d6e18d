import { loadConfig, type Config } from '../../src/server/config.js';

/** Fixed keys and demo password for the suite: tests never touch a developer's DATA_DIR. */
export const TEST_PASSWORD = 'Fengqiao@2026';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {
      FENGQIAO_ENV: 'test',
      DATA_DIR: '.tmp/test-data-unused',
      DEMO_PASSWORD: TEST_PASSWORD,
      FENGQIAO_DATA_KEY: '11'.repeat(32),
      FENGQIAO_INDEX_KEY: '22'.repeat(32),
      FENGQIAO_TOKEN_KEY: '33'.repeat(32),
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    },
    overrides,
  );
}
