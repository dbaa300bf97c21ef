import type { Role } from '../../domain/roles.js';
import type { Executor } from '../executor.js';
import type { UserTable } from '../schema.js';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  createdAt: number;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

function toUser(row: UserTable): UserWithSecret {
  return {
    id: row.id, email: row.email, name: row.name, role: (row.role as Role | null) ?? null,
    createdAt: Number(row.created_at), passwordHash: row.password_hash,
  };
}

export class UserRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: UserTable): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  async update(id: string, changes: Partial<Omit<UserTable, 'id' | 'created_at'>>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  async findByEmail(email: string): Promise<UserWithSecret | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && toUser(row);
  }

  async findById(id: string): Promise<UserWithSecret | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email').execute();
    return rows.map((r) => {
      const { passwordHash: _omit, ...user } = toUser(r);
      return user;
    });
  }

  async memberships(userId: string): Promise<Map<string, Role>> {
    const rows = await this.db.selectFrom('memberships').selectAll().where('user_id', '=', userId).execute();
    return new Map(rows.map((r) => [r.namespace_id, r.role as Role]));
  }

  async setMembership(userId: string, namespaceId: string, role: Role | null): Promise<void> {
    await this.db.deleteFrom('memberships').where('user_id', '=', userId).where('namespace_id', '=', namespaceId).execute();
    if (role) await this.db.insertInto('memberships').values({ user_id: userId, namespace_id: namespaceId, role }).execute();
  }
}
