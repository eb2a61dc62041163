import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'issuecast:public';

/** Opens a route to callers who are not signed in; every other route needs a signed-in user. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
