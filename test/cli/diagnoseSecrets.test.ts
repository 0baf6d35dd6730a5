import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJobctl } from '../helpers/hostProcess.ts';
import { tempDir } from '../helpers/testEngine.ts';

const t = tempDir();
afterAll(() => t.cleanup());

describe('jobctl diagnose', () => {
  it('checks every secret:NAME jobs.yaml refers to and says where it comes from, never its value', async () => {
    const config = join(t.dir, 'jobs.yaml');
    writeFileSync(
      config,
      `llm:
  providers:
    main: { base_url: "http://127.0.0.1:9/v1", api_key: secret:main_key, models: [m] }
jobs:
  - id: api
    discovery:
      strategy: http_json
      every: 1h
      params: { url: "https://api.example.org/items", items: data, headers: { Authorization: secret:api_token } }
    stages: [{ name: s, uses: builtin/noop }]
`,
    );
    const value = 'zq8-very-secret-value-41d2';
    const r = await runJobctl(['--config', config, 'diagnose'], {
      TRIBUTARY_SECRET_MAIN_KEY: value,
    });
    expect(r.out).toMatch(/✗ secrets\s+api_token \(NOT SET\), main_key \(env\)/);
    expect(r.out).toMatch(
      /not set: api_token \(used by jobs\[0\]\.discovery\.params\.headers\.Authorization; store it in the desktop's Settings or set TRIBUTARY_SECRET_API_TOKEN\)/,
    );
    expect(r.out).not.toContain(value);
    expect(r.code).toBe(1);
    const ok = await runJobctl(['--config', config, 'diagnose'], {
      TRIBUTARY_SECRET_MAIN_KEY: value,
      TRIBUTARY_SECRET_API_TOKEN: value,
    });
    expect(ok.out).toMatch(/✓ secrets\s+api_token \(env\), main_key \(env\)/);
    expect(ok.out).not.toContain(value);
  });
});
