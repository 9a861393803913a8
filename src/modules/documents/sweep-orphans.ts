import { inArray, sql } from 'drizzle-orm';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import { dossierFiles } from '../../db/schema/index.js';
import { contentLockKey } from './add-file.js';
import type { StoredObject } from './storage/file-storage.js';

/**
 * Removes what a failed upload left behind: stored objects that no file row refers to (the process died, or the
 * row's transaction failed, after the storage write) and spool files of uploads that never finished, both only
 * once older than FILE_ORPHAN_GRACE_SECONDS. Each object is removed under its content's exclusive advisory lock,
 * after checking again that no row refers to it, so an upload of the same content committing meanwhile (it holds
 * the shared lock from its storage write to its commit) is never left pointing at nothing.
 */
export async function sweepOrphanFiles(ctx: Context<'db' | 'now' | 'config' | 'files'>) {
  const before = ctx.now().getTime() - ctx.config.FILE_ORPHAN_GRACE_SECONDS * 1000;
  let examined = 0;
  let removed = 0;
  let batch: StoredObject[] = [];
  const flush = async () => {
    const keys = batch.map((o) => o.key);
    batch = [];
    if (keys.length === 0) return;
    const referenced = new Set(
      (await ctx.db.selectDistinct({ sha256: dossierFiles.sha256 }).from(dossierFiles).where(inArray(dossierFiles.sha256, keys))).map((r) => r.sha256),
    );
    for (const key of keys.filter((k) => !referenced.has(k))) {
      const gone = await ctx.db.transaction(async (tx) => {
        const locked = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${contentLockKey(key)}) as ok`);
        if (!locked.rows[0]?.ok) return false;
        const [still] = await tx.select({ id: dossierFiles.id }).from(dossierFiles).where(inArray(dossierFiles.sha256, [key])).limit(1);
        if (still) return false;
        await ctx.files.storage.remove(key);
        return true;
      });
      if (gone) removed++;
    }
  };
  for await (const o of ctx.files.storage.list()) {
    examined++;
    if (o.modifiedAt.getTime() >= before) continue;
    batch.push(o);
    if (batch.length >= 500) await flush();
  }
  await flush();
  let spoolRemoved = 0;
  for (const name of await readdir(ctx.files.spoolDir).catch(() => [] as string[])) {
    const path = join(ctx.files.spoolDir, name);
    const s = await stat(path).catch(() => null);
    if (s && s.mtime.getTime() < before) {
      await rm(path, { force: true });
      spoolRemoved++;
    }
  }
  return { examined, removed, spoolRemoved };
}
