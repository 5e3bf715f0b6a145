export default async function globalTeardown() {
  const started = globalThis.__services__ ?? {};
  await Promise.allSettled([started.kafka?.stop(), started.postgres?.stop()]);
}
