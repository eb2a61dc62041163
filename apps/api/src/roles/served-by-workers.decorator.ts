import { SetMetadata } from '@nestjs/common';

export const SERVED_BY_WORKERS = 'issuecast:served-by-workers';

/** Keeps a controller's routes on a `ROLE=worker` process, which answers 404 to every other route. */
export const ServedByWorkers = () => SetMetadata(SERVED_BY_WORKERS, true);
