// Pre-encoding through the services (micro pack, real worker): frame 0 is encoded when the
// engine opens on the extracted frames; engine.preencode (the playhead resting) encodes that
// frame and its neighbours with engine.preencode events; a click there runs no image encoder;
// the setting switches it off and sets the window; refusals are clear and change nothing.
import { afterAll, describe, expect, test } from 'vitest';
import type { PreencodeStatus } from '../../src-main/api/contract';
import { harness, squareAt, until } from './workflow-harness';

const h = harness('maskline-preencode-');
afterAll(() => h.cleanup());

interface EngineStats {
  encoderRuns: { background: number; foreground: number; dropped: number };
  featureCache: { frames: number; bytes: number; budget: number; peakBytes: number };
}

describe('pre-encoding through AppServices', () => {
  test('rest → neighbours encoded, "frame ready", a click there without the encoder; setting off and window', async () => {
    const x = h.services('rest');
    try {
      const fails = await x.fail('engine.preencode', { frame: 3 });
      expect(fails.code).toBe('NO_PROJECT');
      await x.openReady(h.video('rest.mp4', 30));
      const statusEvents = () => x.events.filter((e) => e.event === 'engine.preencode').map((e) => e.payload as PreencodeStatus);
      // frame 0 at open (window ±4: frames 0..4)
      await until(() => statusEvents().some((s) => s.frame === 0 && s.ready && s.done === s.total), 'frame 0 pre-encoded');
      const st = await x.call<PreencodeStatus>('engine.preencode', { frame: 12 });
      expect(st).toMatchObject({ frame: 12, enabled: true, window: 4, total: 9 });
      await until(() => statusEvents().some((s) => s.frame === 12 && s.done === 9 && s.encoding === null), 'the window around 12');
      expect(statusEvents().some((s) => s.frame === 12 && s.encoding === 12 && !s.ready)).toBe(true);
      const stats = () => x.s.engine.run((e) => e.client.stats() as Promise<EngineStats>);
      const before = await stats();
      // each frame once (a late run the engine took over on a busy machine is counted as dropped)
      const kept = (r: EngineStats['encoderRuns']) => r.background - r.dropped;
      expect(kept(before.encoderRuns)).toBe(5 + 9);
      await x.call('objects.add');
      await x.call('prompts.add', { objectId: 1, frame: 12, points: [squareAt(12)], labels: [1] });
      await x.call('prompts.add', { objectId: 1, frame: 14, points: [squareAt(14)], labels: [1] });
      const after = await stats();
      expect(after.encoderRuns.foreground).toBe(before.encoderRuns.foreground);
      expect(after.featureCache.peakBytes).toBeLessThanOrEqual(after.featureCache.budget);

      const bad = await x.fail('engine.preencode', { frame: 30 });
      expect(bad.code).toBe('BAD_ARGS');
      expect((await x.fail('engine.setPreencode', { window: 65 })).code).toBe('BAD_ARGS');

      const off = await x.call<PreencodeStatus>('engine.setPreencode', { enabled: false });
      expect(off).toMatchObject({ enabled: false, total: 0 });
      await x.call('engine.preencode', { frame: 20 });
      await new Promise((r) => setTimeout(r, 300));
      expect(kept((await stats()).encoderRuns)).toBe(kept(after.encoderRuns));
      const on = await x.call<PreencodeStatus>('engine.setPreencode', { enabled: true, window: 1 });
      expect(on).toMatchObject({ enabled: true, window: 1, frame: 20, total: 3 });
      await until(() => statusEvents().some((s) => s.frame === 20 && s.window === 1 && s.done === 3), 'the window ±1 around 20');
      expect(kept((await stats()).encoderRuns)).toBe(kept(after.encoderRuns) + 3);
    } finally {
      await x.s.shutdown();
    }
  });
});
