// Entry of `npx maskline <command>` (see resources/bin/maskline.mjs).
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  console.error(`maskline: unknown command ${command ?? '(none)'}`);
  return 2;
}
