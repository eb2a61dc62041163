import { Module } from '@nestjs/common';
import { IdleMemoryRelease } from './idle-memory-release';

/** Gives memory a burst of work left behind back to the system once the server is idle. */
@Module({ providers: [IdleMemoryRelease] })
export class MemoryReleaseModule {}
