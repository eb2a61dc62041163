// Octokit and the packages it pulls in, openid-client with its own (oauth4webapi, jose), and the `eventsource` client the tests use, ship only ES modules; ts-jest turns them into CommonJS for Jest.
const esmOnlyPackages = [
  '@octokit',
  'universal-user-agent',
  'before-after-hook',
  'content-type',
  'json-with-bigint',
  'eventsource',
  'eventsource-parser',
  'openid-client',
  'oauth4webapi',
  'jose',
];

module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Unit specs sit beside their code; the specs of the whole app over a real socket live in test/.
  // Starting the whole app in a hook can take longer than Jest's default 5 s on a busy machine.
  testTimeout: 30_000,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api',
};
