// Pure rules of the pre-encoding indicator and setting (state/preencode.svelte.ts uses them).
import type { PreencodeSettings, PreencodeStatus } from '$api/contract';

/** How long the playhead must rest on a frame before the engine is asked to pre-encode it. */
export const REST_MS = 300;

export const DEFAULT_PREENCODE: PreencodeSettings = { enabled: true, window: 4 };

export type PreencodeLabel = 'frame ready' | 'encoding' | 'pre-encoding off' | null;

/**
 * The status bar's word for the frame on screen: "frame ready" when its features are cached
 * (a click there skips the image encoder), "encoding" while they are not yet, "pre-encoding
 * off" when the setting is off; nothing without an engine report.
 */
export function preencodeLabel(status: PreencodeStatus | null, current: number, enabled: boolean): PreencodeLabel {
  if (!enabled) return 'pre-encoding off';
  if (!status) return null;
  if (status.frame === current && status.ready) return 'frame ready';
  return 'encoding';
}

/** A saved setting, repaired field by field (anything invalid falls back to the default). */
export function parsePreencodeSettings(raw: unknown): PreencodeSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof PreencodeSettings, unknown>>;
  return {
    enabled: typeof r.enabled === 'boolean' ? r.enabled : DEFAULT_PREENCODE.enabled,
    window: Number.isInteger(r.window) && (r.window as number) >= 0 && (r.window as number) <= 64 ? (r.window as number) : DEFAULT_PREENCODE.window,
  };
}
