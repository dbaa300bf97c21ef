// Services declared in the config file: applying a changed file (SIGHUP does the same) pauses,
// changes or removes checks on the running scheduler at once, without a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyConfigFile } from '../../src/config/file/apply-config-file.js';
import { harness, httpTarget, sleep, waitFor, type Harness, type HttpTarget } from './support.js';

describe('config file changes reach the scheduler at once', () => {
  let h: Harness;
  let target: HttpTarget;
  let dir: string;
  before(async () => {
    h = await harness();
    target = await httpTarget();
    dir = mkdtempSync(join(tmpdir(), 'tocsin-cfg-'));
    await h.startScheduler({ spreadMs: 200 });
  });
  after(async () => { await h.close(); await target.close(); rmSync(dir, { recursive: true, force: true }); });

  const apply = (service: string) => {
    const file = join(dir, 'tocsin.yaml');
    writeFileSync(file, `
namespaces:
  - slug: ops
    projects:
      - slug: edge
        services:
${service}
`);
    return applyConfigFile(h.ctx, file);
  };
  const since = (t: number) => target.hits('/cfg').filter((x) => x > t).length;

  it('adds, pauses, resumes and removes a check', async () => {
    const declared = (extra = '') => `          - slug: web
            name: Web
            type: http
            interval: 1
            timeout: 0.5
            config: { url: "${target.url}/cfg" }${extra}`;
    await apply(declared());
    await waitFor(() => target.hits('/cfg').length >= 2, 4000, 'runs from the file');

    await apply(declared('\n            paused: true'));
    let t = Date.now() + 100;
    await sleep(1500);
    assert.equal(since(t), 0, 'paused by the file');

    await apply(declared());
    t = Date.now();
    await waitFor(() => since(t) >= 1, 3000, 'resumed by the file');

    await apply('          []'.replace('[]', '- { slug: other, name: Other, type: heartbeat, config: { schedule: period, period: 1d, grace: 1h } }'));
    t = Date.now() + 100;
    await sleep(1500);
    assert.equal(since(t), 0, 'removed from the file');
  });
});
