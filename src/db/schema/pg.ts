// Column helpers shared by the schema files: one definition of "instant" (timestamptz, as Date).
import { timestamp } from 'drizzle-orm/pg-core';
export * from 'drizzle-orm/pg-core';
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
