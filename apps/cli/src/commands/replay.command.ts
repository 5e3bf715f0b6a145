export async function run(_args: string[]): Promise<number> {
  process.stderr.write('replay: not built yet\n');
  return 1;
}
