// What people write about an incident through the API.
import Type, { type Static } from 'typebox';

export const progressStatuses = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type ProgressStatus = (typeof progressStatuses)[number];

const ProgressStatusSchema = Type.Union([
  Type.Literal('investigating'), Type.Literal('identified'), Type.Literal('monitoring'), Type.Literal('resolved'),
]);

export const CreateIncidentSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  status: ProgressStatusSchema,
  message: Type.String({ minLength: 1, maxLength: 10_000 }),
  services: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
    maxItems: 500, description: 'Affected services: ids, or paths "ns/project/service" / "project/service"',
  })),
}, { additionalProperties: false });
export type CreateIncidentInput = Static<typeof CreateIncidentSchema>;

export const AddIncidentUpdateSchema = Type.Object({
  status: ProgressStatusSchema,
  message: Type.String({ minLength: 1, maxLength: 10_000 }),
}, { additionalProperties: false });
export type AddIncidentUpdateInput = Static<typeof AddIncidentUpdateSchema>;
