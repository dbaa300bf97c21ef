// `column = CASE id WHEN … THEN … ELSE column END`: one UPDATE that gives each row its own value,
// in a form all three dialects understand (MySQL has no UPDATE … FROM).
import { sql, type RawBuilder } from 'kysely';

export function caseById<R>(column: string, rows: R[], idOf: (row: R) => string, valueOf: (row: R) => unknown): RawBuilder<unknown> {
  const cases = rows.map((row) => sql`when ${idOf(row)} then ${valueOf(row)}`);
  return sql`${sql.ref(column)} = case ${sql.ref('id')} ${sql.join(cases, sql` `)} else ${sql.ref(column)} end`;
}
