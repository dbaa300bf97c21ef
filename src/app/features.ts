// Every feature of Tocsin, in start order. One line per feature.
import type { Feature } from './feature.js';
import { checkFeatures } from '../scheduler/check-features.js';
import { heartbeatFeature } from '../heartbeats/heartbeat-feature.js';
import { alertsFeature } from '../alerts/alerts-feature.js';
import { statusPagesFeature } from '../status-pages/status-pages-feature.js';

export function allFeatures(): Feature[] {
  return [
    ...checkFeatures(),
    heartbeatFeature(),
    alertsFeature(),
    statusPagesFeature(),
  ];
}
