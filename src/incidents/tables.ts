// Table type of incident_services, added to the store's Database type.
export interface IncidentServiceTable {
  incident_id: string;
  service_id: string;
}

declare module '../store/schema.js' {
  interface Database {
    incident_services: IncidentServiceTable;
  }
}
