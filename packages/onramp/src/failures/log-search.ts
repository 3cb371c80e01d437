// How to find a failure in the platform's logs: the runbook's LogQL query by correlation id, and
// Grafana Explore with it. Reports show it; triage runs it against Loki.

/** The runbook's query: the API's JSON log lines carrying this correlation id. */
export const logQuery = (service: string, correlationId: string) => `{service=${JSON.stringify(service)}} | json | correlation_id=${JSON.stringify(correlationId)}`;

/** Grafana Explore with the query in one pane (Grafana 10+ `panes` URL state). */
export function grafanaExploreUrl(base: string, query: string, datasource = 'loki', range = { from: 'now-24h', to: 'now' }): string {
  const panes = { a: { datasource, queries: [{ refId: 'A', expr: query, queryType: 'range', datasource: { type: 'loki', uid: datasource } }], range } };
  return `${base.replace(/\/$/, '')}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}
