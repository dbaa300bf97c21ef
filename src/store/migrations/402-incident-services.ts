// Services affected by an incident written by people (auto incidents name their one service in
// incidents.service_id; manual ones may affect several, listed here).
import { id, type MigrationContext } from './column-types.js';

export async function up({ db }: MigrationContext): Promise<void> {
  await db.schema.createTable('incident_services')
    .addColumn('incident_id', id, (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('service_id', id, (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('incident_services_pk', ['incident_id', 'service_id'])
    .execute();
  await db.schema.createIndex('incident_services_service').on('incident_services').column('service_id').execute();
}

export async function down({ db }: MigrationContext): Promise<void> {
  await db.schema.dropTable('incident_services').ifExists().execute();
}
