// The provider decisions, table-style: the auto ladder per platform × availability, explicit
// choices, software-only WebGPU, and the attention variant proven per provider.
import { describe, expect, test } from 'vitest';
import { chooseAttention, isProviderChoice, providerPlan, webgpuNotForAuto, type Unavailable } from '../../../src-main/core/sam2/provider-plan';

const NO_CUDA = 'no CUDA libraries';
const linuxNone: Unavailable = { cuda: NO_CUDA, dml: 'Windows only', coreml: 'macOS only' };
const linuxCuda: Unavailable = { dml: 'Windows only', coreml: 'macOS only' };
const linuxNoWebgpu: Unavailable = { ...linuxNone, webgpu: 'no WebGPU in this build' };
const winAll: Unavailable = { cuda: 'no CUDA on win32-x64', coreml: 'macOS only' };
const winNoDml: Unavailable = { ...winAll, dml: 'no DirectML in this build' };
const macAll: Unavailable = { cuda: 'no CUDA on darwin-arm64', dml: 'Windows only' };
const macNoWebgpu: Unavailable = { ...macAll, webgpu: 'no WebGPU in this build' };
const software = { webgpu: 'software Vulkan only' };

describe('auto ladder per platform × availability', () => {
  test.each([
    { platform: 'linux', unavailable: linuxCuda, notForAuto: {}, plan: ['cuda', 'webgpu', 'cpu'] },
    { platform: 'linux', unavailable: linuxNone, notForAuto: {}, plan: ['webgpu', 'cpu'] },
    { platform: 'linux', unavailable: linuxNone, notForAuto: software, plan: ['cpu'] },
    { platform: 'linux', unavailable: linuxCuda, notForAuto: software, plan: ['cuda', 'cpu'] },
    { platform: 'linux', unavailable: linuxNoWebgpu, notForAuto: {}, plan: ['cpu'] },
    { platform: 'win32', unavailable: winAll, notForAuto: {}, plan: ['webgpu', 'dml', 'cpu'] },
    { platform: 'win32', unavailable: winNoDml, notForAuto: {}, plan: ['webgpu', 'cpu'] },
    { platform: 'win32', unavailable: { ...winAll, webgpu: 'x' }, notForAuto: {}, plan: ['dml', 'cpu'] },
    { platform: 'darwin', unavailable: macAll, notForAuto: {}, plan: ['webgpu', 'coreml', 'cpu'] },
    { platform: 'darwin', unavailable: macNoWebgpu, notForAuto: {}, plan: ['coreml', 'cpu'] },
    { platform: 'darwin', unavailable: { ...macNoWebgpu, coreml: 'x' }, notForAuto: {}, plan: ['cpu'] },
  ])('$platform $plan', ({ platform, unavailable, notForAuto, plan }) => {
    const r = providerPlan('auto', platform, unavailable, notForAuto);
    expect(r.plan).toEqual(plan);
    // every ladder rung left out is reported with its reason
    for (const s of r.skipped) expect(s.reason).toBe(unavailable[s.provider] ?? (notForAuto as Unavailable)[s.provider]);
    expect(r.plan.length + r.skipped.length).toBe(platform === 'linux' ? 3 : 4);
  });
});

describe('explicit provider: tried alone, never a silent fallback', () => {
  test.each([
    { choice: 'cpu', platform: 'linux', unavailable: linuxNone, plan: ['cpu'], skipped: [] },
    { choice: 'cuda', platform: 'linux', unavailable: linuxCuda, plan: ['cuda'], skipped: [] },
    { choice: 'cuda', platform: 'linux', unavailable: linuxNone, plan: [], skipped: ['cuda'] },
    { choice: 'webgpu', platform: 'linux', unavailable: linuxNone, plan: ['webgpu'], skipped: [] },
    { choice: 'dml', platform: 'linux', unavailable: linuxNone, plan: [], skipped: ['dml'] },
    { choice: 'dml', platform: 'win32', unavailable: winAll, plan: ['dml'], skipped: [] },
    { choice: 'coreml', platform: 'darwin', unavailable: macAll, plan: ['coreml'], skipped: [] },
    { choice: 'coreml', platform: 'win32', unavailable: winAll, plan: [], skipped: ['coreml'] },
  ] as const)('$choice on $platform → $plan', ({ choice, platform, unavailable, plan, skipped }) => {
    // a software-only WebGPU is still used when asked for (that is how CI proves the GPU path)
    const r = providerPlan(choice, platform, unavailable, software);
    expect(r.plan).toEqual(plan);
    expect(r.skipped.map((s) => s.provider)).toEqual(skipped);
  });
});

describe('WebGPU through a software Vulkan driver is not chosen by auto', () => {
  test.each([
    { platform: 'linux', nodes: [], skip: true },
    { platform: 'linux', nodes: ['card0', 'null', 'tty0'], skip: true },
    { platform: 'linux', nodes: ['card0', 'renderD128'], skip: false },
    { platform: 'linux', nodes: ['nvidia0', 'nvidiactl'], skip: false },
    { platform: 'linux', nodes: ['nvidiactl'], skip: true },
    { platform: 'win32', nodes: [], skip: false },
    { platform: 'darwin', nodes: [], skip: false },
  ])('$platform with $nodes', ({ platform, nodes, skip }) => {
    expect(webgpuNotForAuto(platform, nodes) !== null).toBe(skip);
  });
});

describe('memory-attention variant per provider', () => {
  test.each([
    { provider: 'cpu', available: ['plain', 'fused'], kind: 'plain' },
    { provider: 'cpu', available: ['fused', 'plain'], kind: 'fused' },
    { provider: 'cpu', available: ['fused'], kind: 'fused' },
    { provider: 'webgpu', available: ['fused', 'plain'], kind: 'plain' },
    { provider: 'webgpu', available: ['plain'], kind: 'plain' },
    { provider: 'webgpu', available: ['fused'], kind: null },
    { provider: 'cuda', available: ['fused', 'plain'], kind: 'plain' },
    { provider: 'dml', available: ['fused'], kind: null },
    { provider: 'coreml', available: ['plain', 'fused'], kind: 'plain' },
  ] as const)('$provider with $available → $kind', ({ provider, available, kind }) => {
    const r = chooseAttention(provider, available);
    expect(r.kind).toBe(kind);
    if (r.kind === null) expect(r.reason).toContain(provider);
  });
});

test('provider choices', () => {
  for (const c of ['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml']) expect(isProviderChoice(c)).toBe(true);
  for (const c of ['gpu', 'CUDA', '', null, 1]) expect(isProviderChoice(c)).toBe(false);
});
