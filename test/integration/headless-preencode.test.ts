// A headless run (`maskline run`, the batch worker: services on transport 'cli') opens the engine
// without pre-encoding: no pre-encoding thread (its own image-encoder session) is ever started.
// The same run on the app's transport starts one, so the assertion can fail.
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import type { AppInfo } from '../../src-main/api/contract';
import { runHeadless } from '../../src-main/services/headless-run';
import { harness, squareAt } from './workflow-harness';

const h = harness('maskline-headless-preencode-');
afterAll(() => h.cleanup());

interface EngineStats {
  encoderRuns: { background: number; foreground: number };
  preencodeThread: object | null;
}

describe('pre-encoding in a headless run', () => {
  test.each<[AppInfo['transport'], boolean]>([
    ['cli', false],
    ['browser', true],
  ])('transport %s: pre-encoding thread started: %s', async (transport, threadStarted) => {
    const x = h.services(`run-${transport}`, { transport });
    try {
      const r = await runHeadless(x.s, {
        packDir: join(h.modelsDir, 'sam2-micro'),
        video: h.video(`${transport}.mp4`, 10),
        projectDir: join(h.root, `${transport}-project`),
        seed: { kind: 'prompts', objects: [{ id: 1, prompts: [{ frame: 3, points: [squareAt(3)], labels: [1], box: null }] }] },
        exportRequest: { formats: ['coco'], outDir: join(h.root, `${transport}-out`) },
      });
      expect(r.export.frames).toBe(10);
      const stats = await x.s.engine.run((e) => e.client.stats() as Promise<EngineStats>);
      // the run went through this engine
      expect(stats.encoderRuns.foreground).toBeGreaterThan(0);
      expect(stats.preencodeThread !== null).toBe(threadStarted);
      expect(x.s.engine.preencodeStatus().enabled).toBe(threadStarted);
      if (!threadStarted) expect(stats.encoderRuns.background).toBe(0);
    } finally {
      await x.s.shutdown();
    }
  });
});
