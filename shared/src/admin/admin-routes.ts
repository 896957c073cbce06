import type { AdminRoute } from './admin-route.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { gatewayKeyRoutes } from './gateway-key-routes.ts';
import { guardrailRoutes } from './guardrail-routes.ts';
import { logRoutes } from './log-routes.ts';
import { principalRoutes } from './principal-routes.ts';
import { savedConfigRoutes } from './saved-config-routes.ts';
import { usageLimitRoutes } from './usage-limit-routes.ts';
import { virtualKeyRoutes } from './virtual-key-routes.ts';
import { workspaceRoutes } from './workspace-routes.ts';

/** Every authenticated admin route (docs/ADMIN-API.md); `/health` is answered before authentication. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...workspaceRoutes,
  ...gatewayKeyRoutes,
  ...virtualKeyRoutes,
  ...principalRoutes,
  ...savedConfigRoutes,
  ...guardrailRoutes,
  ...auditRoutes,
  ...logRoutes,
  ...analyticsRoutes,
  ...usageLimitRoutes,
];
