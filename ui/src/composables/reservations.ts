import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';

import {
  AdminUsersDocument,
  BookGpuReservationDocument,
  CancelGpuReservationDocument,
  DecideGpuReservationDocument,
  GpuReservationsDocument,
  MyGpuReservationsDocument,
  RequestGpuReservationDocument,
} from '../graphql/generated/graphql';
import { gpuName } from '../lib/reservations';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export interface ReservationRequest {
  gpuIndex: number | null;
  startsAt: string;
  endsAt: string;
  note: string;
  emails: string[];
}

/**
 * GPU reservations: the signed-in user's (ask, cancel) or, for administrators, everyone's (book for users
 * named by email, approve, reject, cancel). The list is asked again after each change.
 */
export function useReservations(toasts: Toasts, scope: 'mine' | 'all') {
  const { resolveClient } = useApolloClient();
  const { busy, error, run } = useAction();
  const mine = useQuery(MyGpuReservationsDocument, null, {
    enabled: scope === 'mine',
    fetchPolicy: 'cache-and-network',
  });
  const all = useQuery(GpuReservationsDocument, null, { enabled: scope === 'all', fetchPolicy: 'cache-and-network' });
  const load = scope === 'mine' ? loadStateOf(mine) : loadStateOf(all);
  const reservations = computed(() =>
    scope === 'mine' ? (mine.result.value?.myGpuReservations ?? []) : (all.result.value?.gpuReservations ?? []),
  );
  const refresh = () => void (scope === 'mine' ? mine.refetch() : all.refetch());
  const input = (r: ReservationRequest) => ({
    gpuIndex: r.gpuIndex,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    note: r.note,
  });

  const request = (r: ReservationRequest) =>
    run(async () => {
      await resolveClient().mutate({ mutation: RequestGpuReservationDocument, variables: { input: input(r) } });
      toasts.show(`Asked for ${gpuName(r.gpuIndex)}: an administrator decides`);
      refresh();
    });

  /** Each email to its account (an administrator's search); one that matches nobody is named. */
  const userIdsOf = async (emails: readonly string[]) => {
    const client = resolveClient();
    return await Promise.all(
      emails.map(async (email) => {
        const { data } = await client.query({
          query: AdminUsersDocument,
          variables: { limit: 5, offset: 0, search: email },
          fetchPolicy: 'network-only',
        });
        const match = data.users.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
        if (!match) throw new Error(`No account with the email ${email}`);
        return match.id;
      }),
    );
  };
  const book = (r: ReservationRequest) =>
    run(async () => {
      const userIds = await userIdsOf(r.emails);
      await resolveClient().mutate({ mutation: BookGpuReservationDocument, variables: { input: input(r), userIds } });
      toasts.show(`${gpuName(r.gpuIndex)} booked`);
      refresh();
    });
  const decide = (id: string, approve: boolean) =>
    run(async () => {
      await resolveClient().mutate({ mutation: DecideGpuReservationDocument, variables: { id, approve } });
      toasts.show(approve ? 'Reservation approved' : 'Reservation rejected');
      refresh();
    });
  const cancel = (id: string) =>
    run(async () => {
      await resolveClient().mutate({ mutation: CancelGpuReservationDocument, variables: { id } });
      toasts.show('Reservation cancelled');
      refresh();
    });

  return { reservations, load, busy, error, request, book, decide, cancel };
}
