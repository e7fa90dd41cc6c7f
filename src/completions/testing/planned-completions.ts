import { ModelCatalog } from '../../catalog/model-catalog';
import { MetricsService } from '../../metrics/metrics.service';
import { CircuitBreakers } from '../../routing/circuit-breakers.service';
import { PlanOptions, RoutePlan, RoutePlanner } from '../../routing/route-planner.service';
import { RoutingConfig } from '../../routing/routing.config';
import { CompletionsService } from '../completions.service';

/**
 * A CompletionsService whose planner always answers `plan` (route-planner.service.spec.ts covers
 * planning) and records the options each call planned with.
 */
export function plannedCompletions(
  plan: RoutePlan,
  routing: RoutingConfig,
  breakers = new CircuitBreakers(routing),
) {
  const planned: PlanOptions[] = [];
  const planner = {
    plan: (_request: unknown, _key: unknown, options: PlanOptions) => {
      planned.push(options);
      return plan;
    },
  } as unknown as RoutePlanner;
  const service = new CompletionsService(
    planner,
    breakers,
    routing,
    new MetricsService(),
    new ModelCatalog([]),
  );
  return { service, planned, breakers };
}
