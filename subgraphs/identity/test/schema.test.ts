import { currentAndCommittedSdl } from '@medforge/shared-schema/testing';

import { buildIdentitySchema } from '../src/schema/build-schema';

it('matches the SDL committed for composition (run `npm run schema:write` after schema changes)', async () => {
  const { current, committed } = await currentAndCommittedSdl('identity', buildIdentitySchema);
  expect(committed).toBe(current);
});
