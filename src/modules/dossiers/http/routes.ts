import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, type Context } from '../../../context.js';
import type { Deps } from '../../../deps.js';
import { DomainError } from '../../../lib/errors.js';
import { authErrors, errorSchema } from '../../../lib/http.js';
import { localDateOf } from '../../../lib/local-date.js';
import { requireRole } from '../../auth/index.js';
import type { DossierRow } from '../acts/apply-act.js';
import { completeDossier } from '../acts/complete-dossier.js';
import { dossierForms, formOf } from '../reads/form-of.js';
import { intakeDecisionForm } from '../reads/intake-decision-form.js';
import { formPdf } from '../reads/form-pdf.js';
import { deskRegister, registerCsv, registerQuery } from '../reads/register.js';
import { handOff } from '../acts/hand-off.js';
import * as queries from '../reads/queries.js';
import { receiveDossier } from '../intake/receive-dossier.js';
import { receiveSupplement } from '../acts/receive-supplement.js';
import { requestSupplement } from '../acts/request-supplement.js';
import { returnResult } from '../acts/return-result.js';
import * as schemas from './schemas.js';
import { stopDossier } from '../acts/stop-dossier.js';
import * as views from '../reads/views.js';
import { withdrawDossier } from '../acts/withdraw-dossier.js';
import { sendPaper } from '../acts/send-paper.js';
import { receivePaper } from '../acts/receive-paper.js';

const STAFF = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin', 'auditor'] as const;
const ACTING = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin'] as const;
const acted = { 200: views.dossierView, ...authErrors, 409: errorSchema };

export const dossierRoutes = (deps: Deps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['dossiers'];
  const security = [{ bearer: [] }];

  app.post(
    '/dossiers',
    {
      schema: {
        tags,
        summary: 'Intake: receive, guide (Mẫu 02) or refuse (Mẫu 03) a dossier',
        description:
          "A desk officer of the desk's unit. Three outcomes: every required document there and the desk competent → 201 received, with the dossier code, the appointment and the receipt (Mẫu 01); a required document missing → 200 not_received, with the guidance listing every missing one (Mẫu 02); the procedure outside the desk's competence (level, location, postal coverage) → 200 refused, with the reason (Mẫu 03). Both 200 outcomes carry a reference for GET /intake-decisions/{reference}. Idempotency-Key: the same key and body return the first answer; another body, 422.",
        security,
        headers: z.object({ 'idempotency-key': z.string().trim().min(8).max(100).optional() }),
        body: schemas.intakeBody,
        response: { 200: views.intakeResponse, 201: views.intakeResponse, ...authErrors, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const who = requireRole(req, ['desk_officer']);
      // Intake is the desk's (Nghị định 61/2018 Art. 15-16): a desk officer of the desk's own unit. Desks are public
      // (GET /desks), so another unit's officer is told 403, not 404.
      const desk = await deps.reference.desk(req.body.deskCode, localDateOf(deps.now()));
      if (!who.roles.some((r) => r.role === 'desk_officer' && r.scopeKind === 'unit' && r.scopeCode === desk.unitCode)) {
        throw new DomainError('FORBIDDEN', `Intake at desk ${desk.code} is for the desk officers of unit ${desk.unitCode}`);
      }
      const header = req.headers['idempotency-key'];
      const r = await receiveDossier(contextOf(deps, who, req.id), req.body, {
        idempotency: header ? { key: `${who.username}:${header}`, request: req.body } : null,
      });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(r.statusCode).send(r.response as never);
    },
  );

  app.get(
    '/dossiers',
    { schema: { tags, summary: 'Dossiers of a desk or agency, filtered, keyset-paginated', security, querystring: schemas.listQuery, response: { 200: views.dossierPage, ...authErrors } } },
    async (req) => queries.listDossiers(deps, requireRole(req, STAFF), req.query, req.id),
  );
  app.get(
    '/dossiers/:code',
    { schema: { tags, summary: 'One dossier with its history, pauses and what you may do now', security, params: schemas.dossierCodeParams, response: { 200: views.dossierDetail, ...authErrors } } },
    async (req) => queries.dossierWithHistory(deps, requireRole(req, STAFF), req.params.code, req.id),
  );
  app.get(
    '/dossiers/:code/control-slip',
    { schema: { tags, summary: 'The control slip (Phiếu kiểm soát: Mẫu 05 of TT 01/2018, Mẫu 06 of TT 03/2025)', security, params: schemas.dossierCodeParams, response: { 200: views.controlSlipView, ...authErrors } } },
    async (req) => queries.controlSlip(deps, requireRole(req, STAFF), req.params.code),
  );
  app.get(
    '/dossiers/:code/audit',
    { schema: { tags, summary: 'Who read or changed the dossier', security, params: schemas.dossierCodeParams, response: { 200: views.auditView, ...authErrors } } },
    async (req) => queries.auditTrail(deps, requireRole(req, ['unit_admin', 'province_admin', 'auditor']), req.params.code),
  );
  app.get(
    '/dossiers/:code/forms/:form',
    {
      schema: {
        tags,
        summary: "A form's data, or its printable PDF (?format=pdf)",
        security,
        description:
          "The data of a form of the circular in force when the dossier was received (FORMS_TT03_2025_FROM, default 2025-07-01: Thông tư 03/2025/TT-VPCP from that day, Thông tư 01/2018/TT-VPCP before), naming its number (`form`), `legalBasis` and `formVersion`: receipt (Mẫu 01), supplement-guidance (Mẫu 02, the latest request), refusal (Mẫu 03, a stopped dossier), apology (Mẫu 04), stop-notice (Mẫu 05 of TT 03/2025: a dossier withdrawn at the applicant's request; 404 under TT 01/2018, which has no such form), control-slip (Mẫu 05 of TT 01/2018, Mẫu 06 of TT 03/2025). With format=pdf (or Accept: application/pdf) the printable A4 PDF, Vietnamese text in an embedded font.",
        params: schemas.dossierCodeParams.extend({ form: z.enum(dossierForms) }),
        querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }),
        response: { 200: z.record(z.string(), z.unknown()), ...authErrors },
      },
    },
    async (req, reply) => {
      const form = await formOf(deps, requireRole(req, STAFF), req.params.code, req.params.form);
      if (req.query.format !== 'pdf' && !/^application\/pdf/.test(req.headers.accept ?? '')) return form;
      // A PDF is bytes, not the JSON the response schema describes: fastify sends a Buffer as it is.
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${req.params.code}-${req.params.form}.pdf"`)
        .send((await formPdf(form as Record<string, unknown>)) as never);
    },
  );

  app.get(
    '/dossier-register',
    {
      schema: {
        tags,
        summary: "A desk's dossier register over a period (Sổ theo dõi hồ sơ), as data, PDF or CSV",
        security,
        description:
          'One line per dossier received at the desk from `from` to `to` (local dates, at most 366 days, at most 10,000 dossiers, 2,000 as PDF: ask for a shorter period beyond): code, procedure, applicant, deciding agency, received, appointment, sent to the agency, result back, returned, status. Mẫu 07 of Thông tư 03/2025/TT-VPCP for dossiers received from FORMS_TT03_2025_FROM (default 2025-07-01), Mẫu 06 of Thông tư 01/2018/TT-VPCP before; a period across that day is refused. format=pdf gives the printable landscape A4 PDF, format=csv the same lines for a spreadsheet. For staff holding a role over the desk\'s unit, and the province\'s administrators and auditors (403 for others).',
        querystring: registerQuery,
        response: { 200: z.record(z.string(), z.unknown()), ...authErrors },
      },
    },
    async (req, reply) => {
      const register = await deskRegister(deps, requireRole(req, STAFF), req.query);
      const name = `so-theo-doi-${register.deskCode}-${req.query.from}-${req.query.to}`;
      if (req.query.format === 'csv') {
        // A CSV body is text, not the JSON the response schema describes: fastify sends strings as they are.
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(registerCsv(register) as never);
      }
      if (req.query.format === 'pdf') {
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send((await formPdf(register)) as never);
      }
      return register;
    },
  );

  app.get(
    '/intake-decisions/:reference',
    {
      schema: {
        tags,
        summary: 'The Mẫu 02 or Mẫu 03 of an intake that made no dossier, again (?format=pdf to print)',
        security,
        description:
          'By the reference an intake answered with (outcome not_received or refused, e.g. BS-H502-261129-0001): the guidance listing the missing documents, or the refusal with its reason, as given to the applicant. Staff of the desk\'s unit; 404 for anyone else.',
        params: z.object({ reference: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{2,12}-\d{6}-\d{4,}$/, 'must be an intake reference, e.g. BS-H502-261129-0001') }),
        querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }),
        response: { 200: z.record(z.string(), z.unknown()), ...authErrors },
      },
    },
    async (req, reply) => {
      const form = await intakeDecisionForm(deps, requireRole(req, STAFF), req.params.reference);
      if (req.query.format !== 'pdf' && !/^application\/pdf/.test(req.headers.accept ?? '')) return form;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${req.params.reference}.pdf"`)
        .send((await formPdf(form)) as never);
    },
  );

  app.post(
    '/dossiers/:code/paper-transfers',
    {
      schema: {
        tags,
        summary: 'The paper dossier or paper result sent, by post or by hand (its own record, apart from the electronic copy)',
        description:
          'kind dossier: the papers from the receiving desk to the deciding agency (a desk officer of the receiving unit; while the dossier is handled); kind result: the paper result from the deciding agency to the returning desk (the agency\'s staff; once processed). Listed on the dossier and its control slip.',
        security,
        params: schemas.dossierCodeParams,
        body: schemas.paperSentBody,
        response: { 201: views.paperTransferView, ...authErrors, 409: errorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await sendPaper(contextOf(deps, requireRole(req, ACTING), req.id), { ...req.body, code: req.params.code })),
  );
  app.post(
    '/dossiers/:code/paper-transfers/:id/receipt',
    {
      schema: {
        tags,
        summary: 'A paper transfer received at its end (once)',
        description: 'Staff working at the transfer\'s end: a desk officer of the desk\'s unit, or the agency\'s staff. A second receipt is 409.',
        security,
        params: schemas.paperTransferParams,
        body: schemas.paperReceivedBody,
        response: { 200: views.paperTransferView, ...authErrors, 409: errorSchema },
      },
    },
    async (req) => receivePaper(contextOf(deps, requireRole(req, ACTING), req.id), { ...req.body, code: req.params.code, id: req.params.id }),
  );

  type Act<B> = (ctx: Context<keyof Deps>, input: { code: string } & B) => Promise<{ dossier: DossierRow }>;
  // Who may do each act: src/domain/dossier/who-may-act.ts (403 for anyone else, naming the step's holder).
  const act = <B extends z.ZodTypeAny>(path: string, body: B, run: Act<z.infer<B>>, summary: string, who: string) =>
    app.post(
      `/dossiers/:code/${path}`,
      { schema: { tags, security, summary, description: `Who: ${who}.`, params: schemas.dossierCodeParams, body, response: acted } },
      async (req: FastifyRequest<{ Params: { code: string }; Body: z.infer<B> }>, _reply: FastifyReply) => {
        const { dossier } = await run(contextOf(deps, requireRole(req, ACTING), req.id), { ...(req.body as object), code: req.params.code } as { code: string } & z.infer<B>);
        return queries.viewOf(deps, dossier);
      },
    );
  act('handoffs', schemas.handoffBody, handOff, 'Hand the dossier on to a unit, role or person (a control-slip line)',
    'whoever holds the current step (a desk officer of the receiving unit at the desk\'s steps; the person it was handed to, or the agency\'s staff in the step\'s role), the head of the holding agency, or the unit\'s or province\'s administrator (reassignment)');
  act('supplement-requests', schemas.supplementRequestBody, requestSupplement, 'Ask the applicant for a supplement (the clock pauses)',
    'whoever holds the current step, or the head of the holding agency');
  act('supplement-received', schemas.supplementReceivedBody, receiveSupplement, 'Record the supplement received (the clock resumes)',
    'a desk officer of the receiving unit, whoever holds the current step, or the head of the holding agency');
  act('completion', schemas.completeBody, completeDossier, 'Processed: the result is ready (fixes the timeliness)',
    "the head of the deciding agency at any step; otherwise, once the dossier has reached the process's deciding step (its last agency step, where the result is signed), the holder of that step's role (the head, or the chairman through a head account) at the agency holding it: never a specialist");
  act('return', schemas.returnBody, returnResult, 'Returned: the result handed to the applicant', "a desk officer of the unit whose desk returns it (the applicant's chosen desk, else the receiving one)");
  act('stop', schemas.stopBody, stopDossier, 'Stop or refuse the dossier, with the reason (Mẫu 03)', 'the head of the holding agency or of the deciding agency');
  act('withdrawal', schemas.withdrawBody, withdrawDossier, "Withdrawn at the applicant's request (from 2025-07-01 the notice of stopping, Mẫu 05 of TT 03/2025)",
    'a desk officer of the receiving unit, whoever holds the current step, or the head of the holding agency');
};

