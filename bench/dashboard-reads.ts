/**
 * The two read measurements of issue 10 point 2, both over HTTP against the built API while the writer
 * records assistance: every route alone (one reader, the routes in turn, p50/p99 per route), then
 * READERS readers cycling through the routes together for a fixed time (reads/s and p99).
 */
import type { HttpClient } from './http-client.js';
import type { Route, Tokens } from './dashboard-routes.js';

export type RouteTimes = Map<string, number[]>;

/**
 * ROUNDS rounds, each asking every route once (the first round only warms up), so that every route
 * sees the writer's load alike. Also counts the distinct `position`s the progress answers carried: the
 * proof that the answers followed the writer instead of coming from one shared entry.
 */
export async function timeEachRoute(
  client: HttpClient,
  routes: Route[],
  tokens: Tokens,
  rounds: number,
): Promise<{ times: RouteTimes; progressAnswers: number; progressPositions: number }> {
  const times: RouteTimes = new Map(routes.map((r) => [r.name, []]));
  const positions = new Set<unknown>();
  let progressAnswers = 0;
  for (let round = 0; round <= rounds; round++) {
    for (const route of routes) {
      const started = performance.now();
      const answer = await client.request('GET', route.path, tokens[route.token]);
      const elapsed = performance.now() - started;
      if (answer.status !== 200)
        throw new Error(`${route.path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
      if (round === 0) continue;
      times.get(route.name)!.push(elapsed);
      if (route.path.endsWith('/progress')) {
        progressAnswers++;
        positions.add((JSON.parse(answer.body) as { position?: unknown }).position);
      }
    }
  }
  return { times, progressAnswers, progressPositions: positions.size };
}

export type CrowdResult = {
  readers: number;
  seconds: number;
  reads: number;
  failed: number;
  latenciesMs: number[];
};

/** `readers` loops, each starting at another route and cycling through all of them, for `seconds`. */
export async function crowd(
  client: HttpClient,
  routes: Route[],
  tokens: Tokens,
  readers: number,
  seconds: number,
): Promise<CrowdResult> {
  const latenciesMs: number[] = [];
  let failed = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: readers }, async (_, reader) => {
      for (let i = reader; performance.now() < until; i++) {
        const route = routes[i % routes.length]!;
        const t0 = performance.now();
        const answer = await client.request('GET', route.path, tokens[route.token]);
        latenciesMs.push(performance.now() - t0);
        if (answer.status !== 200) failed++;
      }
    }),
  );
  return {
    readers,
    seconds: (performance.now() - started) / 1000,
    reads: latenciesMs.length,
    failed,
    latenciesMs,
  };
}
