import { AdminApi } from '../admin-api';
import type { CliConfig } from '../config';
import { CliError, type Output } from '../output';

/** `medforge rescore <submission-id>...`: scores finished submissions again (through the API). */
export async function rescore(config: CliConfig, ids: string[], out: Output): Promise<void> {
  if (ids.length === 0) throw new CliError('usage: medforge rescore <submission-id>...');
  const api = new AdminApi(config);
  for (const id of ids) {
    const { data } = await api.request<{ id: string; status: string }>(
      'POST',
      `/api/v2/admin/submissions/${encodeURIComponent(id)}/score`,
    );
    out.line(`submission ${data.id} is ${data.status}: the scoring worker will score it again`);
  }
}
