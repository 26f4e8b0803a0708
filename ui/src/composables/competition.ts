import { useApolloClient, useQuery, useSubscription } from '@vue/apollo-composable';
import { computed, toRef, watch } from 'vue';

import {
  CompetitionDetailDocument,
  type CompetitionDetailQuery,
  LeaderboardUpdatesDocument,
  MyCapDocument,
  MyLeaderboardEntryUpdatesDocument,
  type MySubmissionFieldsFragment,
  MySubmissionUpdatesDocument,
} from '../graphql/generated/graphql';
import { formatScore } from '../lib/format';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type SubmissionRow = MySubmissionFieldsFragment;
export type CompetitionDetail = NonNullable<CompetitionDetailQuery['competition']>;
export type LeaderboardRow = CompetitionDetail['leaderboard']['entries'][number];

/**
 * One competition: details and leaderboard for anyone, plus the cap and own submissions when signed in.
 * Events carry their data: a scored submission's leaderboardUpdated payload is the new board, a
 * submissionUpdated payload is the submission as it is now (the normalized cache puts both in place).
 */
export function useCompetition(slug: string, signedIn: boolean, toasts: Toasts) {
  const { resolveClient } = useApolloClient();
  const page = useQuery(CompetitionDetailDocument, { slug });
  const load = loadStateOf(page);
  const detail = computed(() => page.result.value?.competition ?? null);
  const myUserId = computed(() => page.result.value?.me?.id ?? null);
  const submissions = computed(() => page.result.value?.me?.submissions ?? []);

  useSubscription(LeaderboardUpdatesDocument, { slug });
  // Separate from the board, which every watcher shares; the normalized cache merges both into the competition.
  useSubscription(MyLeaderboardEntryUpdatesDocument, { slug }, { enabled: signedIn });
  /** The cap, asked again when it moved: a unit taken by an upload, or given back by a failed file. */
  const refreshCap = () =>
    resolveClient()
      .query({ query: MyCapDocument, variables: { slug }, fetchPolicy: 'network-only' })
      .catch(() => undefined);
  if (signedIn) {
    page.subscribeToMore({
      document: MySubmissionUpdatesDocument,
      updateQuery: (previous, { subscriptionData }) => {
        const changed = subscriptionData.data.submissionUpdated;
        // Admins receive everyone's events: only the viewer's own, in this competition, belong here.
        const me = previous.me;
        if (!me || changed.competition.slug !== slug || changed.user.id !== me.id) return previous;
        if (me.submissions.some((s) => s.id === changed.id)) return previous;
        return { ...previous, me: { ...me, submissions: [changed, ...me.submissions] } };
      },
    });
  }

  // Files uploaded from this page: their outcome is told when scoring ends.
  const pending = new Set<string>();
  const watchOutcome = (submissionId: string) => pending.add(submissionId);
  watch(submissions, (now) => {
    for (const submission of now) {
      if (!pending.has(submission.id)) continue;
      if (submission.status === 'SCORED') {
        toasts.show(`${submission.filename} scored ${formatScore(submission.primaryScore)}`);
      } else if (submission.status === 'FAILED') {
        toasts.show(
          `${submission.filename} could not be scored: ${submission.errorMessage ?? 'no reason given'}`,
          'error',
        );
        void refreshCap();
      } else continue;
      pending.delete(submission.id);
    }
  });

  return {
    detail,
    submissions,
    myUserId,
    loading: toRef(load, 'loading'),
    error: toRef(load, 'error'),
    reload: load.retry,
    refreshCap,
    watchOutcome,
  };
}

export interface UploadOutcome {
  ok: boolean;
  detail: string;
  submissionId: string | null;
}

/**
 * Uploads a CSV to the REST shim with progress (fetch cannot report upload progress). Resolves with the
 * API's own words on refusal: problem+json `detail`.
 */
export function uploadSubmission(
  slug: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v2/competitions/${encodeURIComponent(slug)}/submissions`);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      try {
        const body = JSON.parse(request.responseText) as { data?: { id: string }; detail?: string };
        if (request.status === 201) {
          return resolve({ ok: true, detail: 'Queued for scoring', submissionId: body.data?.id ?? null });
        }
        resolve({ ok: false, detail: body.detail ?? `Upload failed (${request.status})`, submissionId: null });
      } catch {
        resolve({ ok: false, detail: `Upload failed (${request.status})`, submissionId: null });
      }
    };
    request.onerror = () =>
      resolve({ ok: false, detail: 'Upload failed: the connection was lost', submissionId: null });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
