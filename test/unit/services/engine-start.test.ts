import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../src-main/api/contract';
import { engineStartFor, type EngineStart } from '../../../src-main/services/engine-start';

describe('engineStartFor: headless transports open the engine without pre-encoding, the app keeps the default', () => {
  it.each<[AppInfo['transport'], EngineStart]>([
    ['cli', { preencode: { enabled: false, window: 0 }, engine: { preencodeWindow: 0 } }],
    ['electron', { preencode: {}, engine: {} }],
    ['browser', { preencode: {}, engine: {} }],
  ])('%s', (transport, want) => {
    expect(engineStartFor(transport)).toEqual(want);
  });
});
