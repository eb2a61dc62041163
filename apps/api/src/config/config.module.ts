import { type DynamicModule, Global, Module } from '@nestjs/common';
import {
  type AppConfig,
  AuthConfig,
  DeploymentConfig,
  GitHubConfig,
  HttpConfig,
  LimitsConfig,
  LlmConfig,
  LogConfig,
  MetricsConfig,
  OidcConfig,
  RedactionConfig,
  SseConfig,
  StoreConfig,
} from './app-config';

/** The injection token of each group. */
const GROUPS: { [Group in keyof AppConfig]: abstract new () => AppConfig[Group] } = {
  http: HttpConfig,
  log: LogConfig,
  auth: AuthConfig,
  oidc: OidcConfig,
  llm: LlmConfig,
  github: GitHubConfig,
  sse: SseConfig,
  limits: LimitsConfig,
  store: StoreConfig,
  deployment: DeploymentConfig,
  redaction: RedactionConfig,
  metrics: MetricsConfig,
};

/** Provides each group of the configuration, validated once at boot by `loadConfig`, to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const tokens = Object.values(GROUPS);
    return {
      module: ConfigModule,
      providers: Object.entries(GROUPS).map(([group, token]) => ({
        provide: token,
        useValue: config[group as keyof AppConfig],
      })),
      exports: tokens,
    };
  }
}
