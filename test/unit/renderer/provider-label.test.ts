import { describe, expect, test } from 'vitest';
import { providerDetails, providerLabel } from '../../../src-renderer/src/lib/provider-label';

describe('provider label in the top bar', () => {
  test.each([
    { providers: {}, label: null },
    { providers: { image_encoder: 'cpu', mask_decoder: 'cpu' }, label: 'CPU' },
    { providers: { image_encoder: 'webgpu', mask_decoder: 'webgpu', memory_encoder: 'webgpu', memory_attention: 'webgpu' }, label: 'WebGPU' },
    {
      providers: { image_encoder: 'webgpu', mask_decoder: 'webgpu', memory_encoder: 'webgpu', memory_attention: 'cpu' },
      label: 'WebGPU · CPU: memory_attention',
    },
    {
      providers: { image_encoder: 'cuda', mask_decoder: 'dml', memory_encoder: 'dml', memory_attention: 'cpu' },
      label: 'DirectML · CUDA: image_encoder · CPU: memory_attention',
    },
  ] as { providers: Record<string, string>; label: string | null }[])('$label', ({ providers, label }) => {
    expect(providerLabel(providers)).toBe(label);
  });

  test('details list every graph and every fallback with its reason', () => {
    const d = providerDetails({ image_encoder: 'webgpu', memory_attention: 'cpu' }, [
      { graph: 'all', provider: 'cuda', message: 'no CUDA libraries' },
      { graph: 'memory_attention', provider: 'webgpu', message: 'only plain is proven on webgpu' },
    ]);
    expect(d.split('\n')).toEqual([
      'image_encoder: WebGPU',
      'memory_attention: CPU',
      'all graphs: CUDA not used (no CUDA libraries)',
      'memory_attention: WebGPU not used (only plain is proven on webgpu)',
    ]);
  });
});
