// Table types of roll-ups and retention job progress (migration 103), added to the Database type.
export interface ResultRollupTable {
  service_id: string;
  /** 'minute' | 'hour' | 'day' */
  resolution: string;
  /** Start of the bucket, epoch ms, aligned to its resolution in UTC. */
  bucket_start: number;
  total_count: number;
  up_count: number;
  /** Results that had a response time (down results often have none). */
  latency_count: number;
  latency_sum: number;
  latency_max: number | null;
  /** Comma-separated counts per latency class (see latency-histogram.ts). */
  histogram: string;
}

export interface RetentionJobTable {
  /** 'minute' | 'hour' | 'day' | 'prune' */
  name: string;
  /** Everything before this instant has been processed by the job. */
  done_until: number;
  lease_owner: string | null;
  lease_expires_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    result_rollups: ResultRollupTable;
    retention_jobs: RetentionJobTable;
  }
}
