import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { StoreConfig } from '../config/app-config';
import { openRunStore } from './open-run-store';
import { ProcessIdentity } from './process-identity';
import { RunStore } from './run-store';

/** Closes the store once everything that writes to it has stopped. */
class StoreCloser implements OnApplicationShutdown {
  constructor(@Inject(RunStore) private readonly store: RunStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The store of runs and events, opened and migrated before anything uses it, and who this process is to it. */
@Global()
@Module({
  providers: [
    { provide: RunStore, inject: [StoreConfig], useFactory: (config: StoreConfig) => openRunStore(config) },
    StoreCloser,
    ProcessIdentity,
  ],
  exports: [RunStore, ProcessIdentity],
})
export class StoreModule {}
