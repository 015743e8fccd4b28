// The user's execution-provider setting (auto, or one provider), kept across runs in the data
// folder as provider.json, a file the app writes and owns. Unreadable or unknown content counts
// as "not set" (auto) and is left alone until the user chooses again.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderChoice } from '../api/contract';
import { isProviderChoice } from '../core/sam2/provider-plan';

export const PROVIDER_SETTING_FILE = 'provider.json';

export function readProviderSetting(dataDir: string): ProviderChoice | null {
  const p = join(dataDir, PROVIDER_SETTING_FILE);
  if (!existsSync(p)) return null;
  try {
    const v = (JSON.parse(readFileSync(p, 'utf8')) as { provider?: unknown }).provider;
    return isProviderChoice(v) ? v : null;
  } catch {
    return null;
  }
}

export function writeProviderSetting(dataDir: string, provider: ProviderChoice): void {
  const p = join(dataDir, PROVIDER_SETTING_FILE);
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ provider }, null, 2)}\n`);
  renameSync(tmp, p);
}
