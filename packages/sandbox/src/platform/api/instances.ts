// Project-owned GPU instances (runbook, "Project-scoped requests"): every call names its project in
// X-Project-ID; members list and create, owners delete.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { invalidRequest, notFound } from '../http/errors.ts';
import { pathUuid, requireProjectContext, requireProjectMember, requireProjectOwner } from '../authz.ts';
import { deleteInstance, insertInstance, listInstances } from '../repo/instances.ts';
import type { FieldProblem } from './signup.ts';

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const GPU_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const list: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const projectId = requireProjectContext(r);
  await requireProjectMember(r, p, projectId);
  return { status: 200, body: { project_id: projectId, instances: await listInstances(r.platform.pool, projectId) } };
};

const create: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const projectId = requireProjectContext(r);
  await requireProjectMember(r, p, projectId);
  const { name, gpu_type: gpuType } = await r.json();
  const problems: FieldProblem[] = [];
  if (typeof name !== 'string' || !NAME_RE.test(name)) problems.push({ field: 'name', message: 'must be a DNS label: lower-case letters, digits and hyphens, at most 63 characters' });
  if (typeof gpuType !== 'string' || !GPU_TYPE_RE.test(gpuType)) problems.push({ field: 'gpu_type', message: 'must be a GPU type name such as a100 or h100' });
  if (problems.length) throw invalidRequest(`Invalid instance: ${problems.map((x) => `${x.field} ${x.message}`).join('; ')}.`, { fields: problems });
  const row = await insertInstance(r.platform.pool, { projectId, name: name as string, gpuType: gpuType as string, createdBy: p.userId });
  return { status: 201, body: row };
};

const remove: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const projectId = requireProjectContext(r);
  await requireProjectOwner(r, p, projectId);
  if (!(await deleteInstance(r.platform.pool, projectId, pathUuid(r.params.id, 'Instance')))) throw notFound('Instance');
  return { status: 204 };
};

export function registerInstances(router: Router<ApiHandler>): void {
  router.add('GET', '/api/v1/instances', list);
  router.add('POST', '/api/v1/instances', create);
  router.add('DELETE', '/api/v1/instances/:id', remove);
}
