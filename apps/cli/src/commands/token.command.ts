export async function run(_args: string[]): Promise<number> {
  process.stderr.write('token: not built yet\n');
  return 1;
}
