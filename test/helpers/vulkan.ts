// Whether a Vulkan device can exist on this machine, for the WebGPU tests on Linux: the loader
// (libvulkan.so.1) and at least one driver manifest (ICD). Without them the tests skip with the
// printed reason; with them a WebGPU failure is a test failure (e.g. Debian 12's own Mesa, which
// Dawn refuses — .ci/run installs the bookworm-backports driver).
import { existsSync, readdirSync } from 'node:fs';

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
const LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

/** null when a Vulkan device can be there, else why not. Other platforms: WebGPU uses D3D12/Metal. */
export function noVulkanReason(): string | null {
  if (process.platform !== 'linux') return null;
  if (!LOADERS.some(existsSync)) return 'no Vulkan loader (libvulkan.so.1) is installed';
  const icds = ICD_DIRS.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : []));
  if (icds.length === 0 && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) return 'no Vulkan driver (ICD manifest) is installed';
  return null;
}

/** Skips a WebGPU suite with a printed reason when no Vulkan device can exist. */
export function webgpuSkipReason(): string | null {
  const why = noVulkanReason();
  if (why) console.log(`WebGPU tests skipped: ${why} (install mesa-vulkan-drivers from bookworm-backports, see docs/gpu.md)`);
  return why;
}
