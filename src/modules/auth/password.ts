import { hash, verify } from '@node-rs/argon2';

// argon2id (memory-hard) with OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, options);
export const verifyPassword = (stored: string, password: string) => verify(stored, password).catch(() => false);

/** The shortest password an account may have (OWASP ASVS 2.1.1: at least 12 characters). */
export const PASSWORD_MIN_LENGTH = 12;
