// Table type of status pages, added to the store's Database type.
import type { Selectable } from 'kysely';

export interface StatusPageTable {
  id: string;
  namespace_id: string;
  slug: string;
  title: string;
  logo_url: string | null;
  description: string | null;
  timezone: string;
  custom_domain: string | null;
  is_front_page: number;
  /** JSON: StoredGroup[] */
  item_groups: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

declare module '../../store/schema.js' {
  interface Database {
    status_pages: StatusPageTable;
  }
}

export type StatusPageRow = Selectable<StatusPageTable>;
