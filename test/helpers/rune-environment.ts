// A vitest environment for the renderer's rune classes (*.svelte.ts): Node globals, but modules
// are transformed for the client, so `$state`/`$derived`/`$effect` compile to Svelte's client
// runtime (reactive, effects run on flushSync) instead of the server's one-shot values.
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-runes',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
