import { z } from 'zod';
import type { dossierFiles} from '../../db/schema/index.js';
import { copyKinds, fileKinds, fileSources } from '../../db/schema/index.js';

export const fileSchema = z.object({
  id: z.number().int(),
  kind: z.enum(fileKinds),
  document: z.string().nullable(),
  extra: z.boolean(),
  copyKind: z.enum(copyKinds),
  source: z.enum(fileSources),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  pageCount: z.number().int().nullable(),
  fileName: z.string().nullable(),
  reusedFrom: z.number().int().nullable(),
  addedBy: z.string(),
  addedAt: z.date(),
});

export function fileView(f: typeof dossierFiles.$inferSelect): z.infer<typeof fileSchema> {
  return {
    id: f.id,
    kind: f.kind,
    document: f.documentName,
    extra: f.kind === 'document' && f.documentName === null,
    copyKind: f.copyKind,
    source: f.source,
    sha256: f.sha256,
    size: f.size,
    mediaType: f.mediaType,
    pageCount: f.pageCount,
    fileName: f.fileName,
    reusedFrom: f.reusedFrom,
    addedBy: f.addedBy,
    addedAt: f.addedAt,
  };
}
