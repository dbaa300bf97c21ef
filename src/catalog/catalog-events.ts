// In-process notice that a service's definition changed, so this instance's scheduler reacts at
// once. Other instances learn the same from the database (services.updated_at), never from this.
export type CatalogChange = { kind: 'service-upserted' | 'service-deleted'; serviceId: string };
export type CatalogListener = (change: CatalogChange) => void;

export class CatalogEvents {
  private readonly listeners = new Set<CatalogListener>();

  subscribe(listener: CatalogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: CatalogChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
