// The setup every end-to-end suite shares: a loopback server for the fixtures and one real
// browser with the extension loaded, started before the suite's tests and closed after.
import { after, before } from 'node:test';
import { join } from 'node:path';

import { launchers, ROOT } from '../../scripts/lib/browsers.mjs';
import { serve, serveTwoOrigins } from '../../scripts/lib/server.mjs';

/**
 * Call inside `describe`: returns an object whose `server` and `session` are set in `before`.
 * `site` is the folder served (default the fixtures); with `thirdParty`, it is also served on
 * a second loopback origin (`serveTwoOrigins`), whose URL is `server.thirdPartyUrl`. `launch`
 * is passed to the browser's launcher.
 */
export function browserSuite(browser, { site = 'tests/sites/fixtures', thirdParty = false, launch = {} } = {}) {
  const suite = { server: null, session: null };
  before(async () => {
    suite.server = await (thirdParty ? serveTwoOrigins : serve)(join(ROOT, site));
    suite.session = await launchers[browser](launch);
  });
  after(async () => {
    await suite.session?.close();
    await suite.server?.close();
  });
  return suite;
}
