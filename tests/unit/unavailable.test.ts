import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { unavailableService } from '../../src/lib/unavailable.js';

const pgError = (code: string, message = 'terminating connection due to administrator command') => Object.assign(new Error(message), { code });

describe('which errors mean a dependency is unavailable (503, not 500)', () => {
  it('PostgreSQL shutting down, starting up, or its connection lost, as the driver and drizzle report them', () => {
    for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']) expect(unavailableService(pgError(code)), code).toBe('database');
    expect(unavailableService(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(unavailableService(new Error('Client has encountered a connection error and is not queryable'))).toBe('database');
    expect(unavailableService(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('database');
    // Drizzle wraps the driver's error; a refused connection on two address families is an AggregateError.
    expect(unavailableService(new DrizzleQueryError('select 1', [], pgError('57P01')))).toBe('database');
    const refused = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '');
    expect(unavailableService(new DrizzleQueryError('select 1', [], refused))).toBe('database');
  });

  it('Redis not answering', () => {
    expect(unavailableService(new Error('Command timed out'))).toBe('redis');
    expect(unavailableService(new Error('Connection is closed.'))).toBe('redis');
  });

  it('anything else is not: a constraint, a syntax error, a bug', () => {
    expect(unavailableService(pgError('23505', 'duplicate key value violates unique constraint'))).toBeNull();
    expect(unavailableService(new DrizzleQueryError('selec 1', [], pgError('42601', 'syntax error')))).toBeNull();
    expect(unavailableService(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(unavailableService(undefined)).toBeNull();
  });
});
