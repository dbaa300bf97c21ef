// Table types of scheduler coordination (migration 101), added to the shared Database type.
export interface SchedulerLeaseTable {
  shard: number;
  owner: string | null;
  expires_at: number;
}

export interface SchedulerInstanceTable {
  instance_id: string;
  seen_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    scheduler_leases: SchedulerLeaseTable;
    scheduler_instances: SchedulerInstanceTable;
  }
}
