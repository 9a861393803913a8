import { PASSWORD_MIN_LENGTH } from '../src/modules/auth/index.js';

/**
 * The password an admin command sets: from MOTCUA_PASSWORD, or else standard input (never from the command line,
 * where the shell history would keep it). Too short: the message to print, and exit code 2.
 */
export async function readPassword(): Promise<string | { refused: string }> {
  let password = process.env.MOTCUA_PASSWORD;
  if (password === undefined) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    password = Buffer.concat(chunks).toString('utf8').trim();
  }
  return password.length < PASSWORD_MIN_LENGTH ? { refused: `the password must have at least ${PASSWORD_MIN_LENGTH} characters` } : password;
}
