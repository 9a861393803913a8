import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../context.js';
import type { Deps } from '../../deps.js';
import { copyKinds, digitisationExemptions, fileSources } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { authErrors, errorSchema, queryBool } from '../../lib/http.js';
import { requireRole } from '../auth/index.js';
import { DOCUMENT_NAME_MAX, dossierCodeParams } from '../dossiers/index.js';
import { addDocumentFile, addResultFile, type OpenUpload } from './add-file.js';
import { listFiles, readFile, type FileDownload } from './read-files.js';
import { recordDigitisation } from './record-digitisation.js';
import { reusableFiles, reuseFile } from './reuse-file.js';
import { fileSchema } from './views.js';

const STAFF = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin', 'auditor'] as const;
const ACTING = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin'] as const;
const fileParams = dossierCodeParams.extend({ fileId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const uploadErrors = { ...authErrors, 409: errorSchema, 413: errorSchema, 415: errorSchema };

/** The one file part of a multipart request (the field's name is free), opened when the use case asks for it. */
const uploadOf =
  (req: FastifyRequest): OpenUpload =>
  async () => {
    if (!req.isMultipart()) {
      throw new DomainError('UNSUPPORTED_FILE_TYPE', `Send the file as multipart/form-data (got ${req.headers['content-type'] ?? 'none'})`);
    }
    const part = await req.file();
    if (!part) throw new DomainError('VALIDATION_FAILED', 'file: the multipart body has no file part');
    return { stream: part.file, fileName: part.filename || null };
  };

/** Sends a stored file as it streams from storage, with its length and type. */
export function sendFile(reply: FastifyReply, f: FileDownload, disposition: 'inline' | 'attachment' = 'inline') {
  return reply
    .type(f.mediaType)
    .header('content-length', String(f.size))
    .header('content-disposition', `${disposition}; filename="${f.fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(f.stream);
}

/** Files of a dossier for staff: upload, list, download, digitisation, result, re-use. */
export const documentRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  // The multipart parser here only: files stream to the spool (never buffered); the limit is checked as they do.
  await root.register(fastifyMultipart, { limits: { files: 1, fields: 5, parts: 6, fileSize: deps.config.FILE_MAX_BYTES + 1 } });
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];
  const security = [{ bearer: [] }];
  const limits = `At most ${deps.config.FILE_MAX_BYTES} bytes per file (FILE_MAX_BYTES) and ${deps.config.FILE_DOSSIER_MAX_BYTES} per dossier (FILE_DOSSIER_MAX_BYTES).`;

  app.post(
    '/dossiers/:code/files',
    {
      schema: {
        tags,
        security,
        summary: 'Upload a document of the dossier (multipart/form-data, one file part)',
        description: `The file streams to storage. Its type is read from its content: PDF, JPEG or PNG, anything else 415. ${limits} Too large → 413; the same file already on the dossier → 409; an upload cut short → 400; each leaves nothing behind. \`document\` names the item of the procedure's required-documents list (case and diacritics ignored), or \`extra=true\`; \`copy\` is original, certified_copy or copy; \`source\` is digitised (scanned from paper at the desk) or electronic (filed as a file). Staff who may act on the dossier, while it is open.`,
        params: dossierCodeParams,
        querystring: z.object({
          document: z.string().trim().min(1).max(DOCUMENT_NAME_MAX).optional(),
          extra: queryBool.default(false),
          copy: z.enum(copyKinds),
          source: z.enum(fileSources),
        }),
        response: { 201: fileSchema, ...uploadErrors },
      },
    },
    async (req, reply) => {
      const who = requireRole(req, ACTING);
      const q = req.query;
      const file = await addDocumentFile(
        contextOf(deps, who, req.id),
        { dossierCode: req.params.code, document: q.document ?? null, extra: q.extra, copyKind: q.copy, source: q.source },
        uploadOf(req),
      );
      return reply.code(201).send(file);
    },
  );

  app.post(
    '/dossiers/:code/result-files',
    {
      schema: {
        tags,
        security,
        summary: 'Attach the result file (the deciding agency, at or before completion)',
        description: `Multipart/form-data, one file part: the signed result as PDF, JPEG or PNG. Staff holding a role over the dossier's deciding agency, while the dossier is open or processed. A result delivered electronically is then downloadable by the applicant through the public lookup. ${limits}`,
        params: dossierCodeParams,
        response: { 201: fileSchema, ...uploadErrors },
      },
    },
    async (req, reply) => {
      const who = requireRole(req, ACTING);
      return reply.code(201).send(await addResultFile(contextOf(deps, who, req.id), { dossierCode: req.params.code }, uploadOf(req)));
    },
  );

  app.get(
    '/dossiers/:code/files',
    {
      schema: {
        tags,
        security,
        summary: "The dossier's files and its document checklist",
        description: 'Every file, and per item of the procedure\'s documents list the files answering it and its digitisation record; `missing` lists the required items with neither a file nor an exemption. Audited as a read.',
        params: dossierCodeParams,
        response: {
          200: z.object({
            dossierCode: z.string(),
            files: z.array(fileSchema),
            checklist: z.array(
              z.object({
                document: z.string(),
                required: z.boolean(),
                fileIds: z.array(z.number().int()),
                digitisation: z.object({ fileId: z.number().int().nullable(), exemption: z.string().nullable(), recordedBy: z.string(), recordedAt: z.date() }).nullable(),
              }),
            ),
            missing: z.array(z.string()),
          }),
          ...authErrors,
        },
      },
    },
    async (req) => listFiles(contextOf(deps, requireRole(req, STAFF), req.id), { dossierCode: req.params.code }),
  );

  app.get(
    '/dossiers/:code/files/:fileId',
    {
      schema: {
        tags,
        security,
        summary: 'Download one file of the dossier',
        description: 'The bytes as stored, with their type. Staff who see the dossier; every read is written to the audit log. Another unit\'s dossier, or a file of another dossier, is 404.',
        params: fileParams,
        response: authErrors,
      },
    },
    async (req, reply) => sendFile(reply, await readFile(contextOf(deps, requireRole(req, STAFF), req.id), { dossierCode: req.params.code, fileId: req.params.fileId })),
  );

  app.post(
    '/dossiers/:code/digitisation',
    {
      schema: {
        tags,
        security,
        summary: 'Record the digitisation of a paper document, or its exemption',
        description:
          'A desk officer of the receiving unit, once per document (Nghị định 118/2025 Art. 17(1)(c)): `fileId` of the digitised file of this dossier that is its electronic copy, or `exemption` of Thông tư 03/2025 Art. 5(2): filed_electronically, shown_only, inter_agency_verification, classified.',
        params: dossierCodeParams,
        body: z.union([
          z.object({ document: z.string().trim().min(1).max(DOCUMENT_NAME_MAX), fileId: z.number().int().min(1) }).strict(),
          z.object({ document: z.string().trim().min(1).max(DOCUMENT_NAME_MAX), exemption: z.enum(digitisationExemptions) }).strict(),
        ]),
        response: {
          201: z.object({ dossierCode: z.string(), document: z.string(), fileId: z.number().int().nullable(), exemption: z.string().nullable(), recordedBy: z.string(), recordedAt: z.date() }),
          ...authErrors,
          409: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const who = requireRole(req, ['desk_officer']);
      return reply.code(201).send(await recordDigitisation(contextOf(deps, who, req.id), { dossierCode: req.params.code, ...req.body }));
    },
  );

  app.get(
    '/dossiers/:code/reusable-files',
    {
      schema: {
        tags,
        security,
        summary: "Files the same applicant already gave (re-use instead of a new upload)",
        description:
          "Digitised documents and results on the applicant's earlier dossiers, matched by the citizen ID's keyed hash (never the number itself; Nghị định 45/2020 Art. 16). Staff who see this dossier; each offer names its dossier, document and file, not the earlier dossier's other data.",
        params: dossierCodeParams,
        response: { 200: z.object({ dossierCode: z.string(), offers: z.array(z.object({ fileId: z.number().int(), fromDossier: z.string(), kind: z.string(), document: z.string().nullable(), copyKind: z.string(), mediaType: z.string(), size: z.number().int(), pageCount: z.number().int().nullable(), addedAt: z.date() })) }), ...authErrors },
      },
    },
    async (req) => reusableFiles(contextOf(deps, requireRole(req, ACTING), req.id), { dossierCode: req.params.code }),
  );

  app.post(
    '/dossiers/:code/files/reuse',
    {
      schema: {
        tags,
        security,
        summary: 'Re-use a file the applicant already gave: link it instead of uploading again',
        description:
          'One of the offers of GET reusable-files, attached to an item of this dossier\'s documents list (or extra). The new file row names the row it came from (`reusedFrom`) and the link is audited on both dossiers.',
        params: dossierCodeParams,
        body: z.object({ fileId: z.number().int().min(1), document: z.string().trim().min(1).max(DOCUMENT_NAME_MAX).optional(), extra: z.boolean().default(false), copy: z.enum(copyKinds) }),
        response: { 201: fileSchema, ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const who = requireRole(req, ACTING);
      const b = req.body;
      return reply.code(201).send(await reuseFile(contextOf(deps, who, req.id), { dossierCode: req.params.code, fileId: b.fileId, document: b.document ?? null, extra: b.extra, copyKind: b.copy }));
    },
  );
};
