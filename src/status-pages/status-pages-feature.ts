// Status pages and incidents written by people, plugged into a running Tocsin.
import type { AppContext } from '../app/context.js';
import type { Feature } from '../app/feature.js';
import { typed } from '../http/api/api-instance.js';
import { incidentRoutes } from '../incidents/incident-routes.js';
import { ManualIncidentService } from '../incidents/manual-incident-service.js';
import { managementRoutes } from './http/management-routes.js';
import { publicRoutes } from './http/public-routes.js';
import { StatusPageSite } from './status-page-site.js';
import { StatusPageService } from './status-page-service.js';

/** How long after a state change's transaction began its commit is awaited before clearing again. */
const afterCommitMs = 250;

export function statusPagesFeature(): Feature {
  return {
    name: 'status-pages',
    async setup(ctx: AppContext, app) {
      const site = new StatusPageSite(ctx.data, ctx.now, ctx.settings.publicUrl);
      const invalidate = () => site.cache.invalidate();
      // Listeners run inside the transition's transaction, before it commits: a page rebuilt in
      // between would show the old state, so the cache is cleared again shortly after. Changes
      // made by other instances are caught by the cache's database version check.
      ctx.transitions.onChange(async () => {
        invalidate();
        setTimeout(invalidate, afterCommitMs).unref();
      });
      const pages = new StatusPageService(ctx.data, ctx.now, invalidate);
      const incidents = new ManualIncidentService(ctx.data, ctx.now, invalidate);
      publicRoutes(app, site);
      await app.register(async (api) => {
        managementRoutes(typed(api), ctx, pages);
        incidentRoutes(typed(api), ctx, incidents);
      }, { prefix: '/api/v1' });
    },
  };
}
