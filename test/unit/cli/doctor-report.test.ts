// maskline doctor's decisions: one plain message per problem, none when all is well.
import { describe, expect, test } from 'vitest';
import { doctorProblems, formatReport, type DoctorReport, type ProviderCheck } from '../../../src-main/cli/doctor/report';

const works = (provider: ProviderCheck['provider']): ProviderCheck => ({
  provider,
  unavailable: null,
  tried: true,
  error: null,
  timings: { image_encoder: { first: 900, then: 410 }, memory_attention: { first: 55.5, then: null } },
  fallbacks: [],
  attention: 'plain',
  encoderAttention: provider === 'cpu' ? 'fused' : 'plain',
});
const absent = (provider: ProviderCheck['provider'], why: string): ProviderCheck => ({
  provider,
  unavailable: why,
  tried: false,
  error: null,
  timings: null,
  fallbacks: [],
  attention: null,
  encoderAttention: null,
});

function report(over: Partial<DoctorReport> = {}): DoctorReport {
  return {
    platform: 'linux-x64',
    node: '20.20.2',
    onnxruntime: '1.30.0',
    bundled: ['cpu', 'webgpu'],
    ffmpeg: { path: '/usr/bin/ffmpeg', version: '5.1' },
    ffprobe: { path: '/usr/bin/ffprobe', version: '5.1' },
    dataDir: { path: '/home/u/.config/maskline', error: null },
    pack: { dir: '/packs/tiny', name: 'SAM 2.1 Tiny', error: null },
    providers: [works('cpu'), absent('cuda', 'no CUDA libraries'), works('webgpu'), absent('dml', 'Windows only'), absent('coreml', 'macOS only')],
    asked: null,
    ...over,
  };
}

describe('doctor problems', () => {
  test.each([
    { name: 'all well', over: {}, problems: [] },
    { name: 'ffmpeg missing', over: { ffmpeg: null }, problems: [/^ffmpeg was not found/] },
    { name: 'ffprobe missing', over: { ffprobe: null }, problems: [/^ffprobe was not found/] },
    { name: 'data folder read-only', over: { dataDir: { path: '/ro', error: 'EROFS' } }, problems: [/data folder \/ro is not writable \(EROFS\)/] },
    {
      name: 'no pack',
      over: { pack: { dir: null, name: null, error: 'No model pack is installed.' } },
      problems: [/^No usable model pack: No model pack is installed/],
    },
    {
      name: 'GPU provider fails',
      over: { providers: [works('cpu'), { ...works('webgpu'), error: 'no adapter', timings: null }] },
      problems: [/webgpu provider is available but does not work: no adapter/],
    },
    { name: 'CPU provider fails', over: { providers: [{ ...works('cpu'), error: 'bad graph' }] }, problems: [/cpu provider is available but does not work/] },
    {
      name: 'asked provider unavailable',
      over: { asked: 'cuda' as const },
      problems: [/cuda provider was asked for but cannot be used here: no CUDA libraries/],
    },
    { name: 'unavailable, not asked', over: { asked: 'cpu' as const }, problems: [] },
    { name: 'several', over: { ffmpeg: null, dataDir: { path: '/x', error: 'ENOTDIR' } }, problems: [/ffmpeg/, /not writable/] },
  ])('$name', ({ over, problems }) => {
    const got = doctorProblems(report(over as Partial<DoctorReport>));
    expect(got.length).toBe(problems.length);
    problems.forEach((re, i) => expect(got[i]).toMatch(re));
  });
});

test('the report names every provider with its state and timings', () => {
  const text = formatReport(report({ providers: [works('cpu'), { ...works('webgpu'), error: 'no adapter' }, absent('cuda', 'no CUDA libraries')] }));
  expect(text).toMatch(/platform\s+linux-x64/);
  expect(text).toMatch(/cpu\s+works \(image encoder attention: fused, memory attention: plain\)/);
  expect(text).toMatch(/image_encoder\s+first\s+900.0 ms\s+then 410.0 ms/);
  expect(text).toMatch(/memory_attention\s+first\s+55.5 ms\s+then —/);
  expect(text).toMatch(/webgpu\s+FAILED: no adapter/);
  expect(text).toMatch(/cuda\s+not available: no CUDA libraries/);
});
