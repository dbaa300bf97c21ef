// A public status page as the rest of Tocsin sees it. Groups refer to catalog objects by id so
// renaming a slug never breaks a page; the API shows them as slug paths.

export interface StoredGroup {
  name: string;
  /** Every service of this project, in slug order. */
  projectId?: string;
  /** A hand-picked list, in this order. */
  serviceIds?: string[];
}

export interface StatusPage {
  id: string;
  namespaceId: string;
  slug: string;
  title: string;
  logoUrl: string | null;
  description: string | null;
  /** IANA time zone the page shows days and times in, e.g. "Europe/Paris". */
  timezone: string;
  customDomain: string | null;
  isFrontPage: boolean;
  groups: StoredGroup[];
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}
