import { type ApolloClient, gql } from '@apollo/client/core';
import { computed, ref, watch } from 'vue';

import { useLiveEvents } from './live';
import { useQuery } from './query';
import { upsertById } from './rows';

export interface SubmissionRow {
  id: string;
  status: 'QUEUED' | 'SCORING' | 'SCORED' | 'FAILED';
  filename: string;
  primaryScore: number | null;
  errorMessage: string | null;
  createdAt: string;
}

export interface LeaderboardRow {
  rank: number;
  score: number;
  submissionId: string;
  user: { id: string; displayName: string | null };
}

export interface CompetitionDetail {
  slug: string;
  title: string;
  description: string;
  metric: string;
  submissionFormat: { idColumn: string; targetColumn: string; expectedRows: number; maxUploadBytes: number };
  myCap: { limit: number; used: number; remaining: number; resetsAt: string } | null;
  leaderboard: { totalEntries: number; entries: LeaderboardRow[] };
  myLeaderboardEntry: { rank: number; score: number } | null;
}

const SUBMISSION_FIELDS = 'id status filename primaryScore errorMessage createdAt';
const DETAIL = gql`
  query CompetitionDetail($slug: String!) {
    competition(slug: $slug) {
      slug title description metric
      submissionFormat { idColumn targetColumn expectedRows maxUploadBytes }
      myCap { limit used remaining resetsAt }
      leaderboard(limit: 20) { totalEntries entries { rank score submissionId user { id displayName } } }
      myLeaderboardEntry { rank score }
    }
    me { id submissions(competitionSlug: $slug, limit: 20) { ${SUBMISSION_FIELDS} } }
  }`;
const SUBMISSION_UPDATES = gql`subscription SubmissionUpdates { submissionUpdated { ${SUBMISSION_FIELDS} competition { slug } user { id } } }`;
const LEADERBOARD_UPDATES = gql`
  subscription LeaderboardUpdates($slug: String!) {
    leaderboardUpdated(competitionSlug: $slug) {
      slug
    }
  }
`;

/**
 * One competition: details and leaderboard for anyone, plus the cap and own submissions when signed in;
 * all kept live by subscriptions.
 */
export function useCompetition(client: ApolloClient<unknown>, slug: string, signedIn: boolean) {
  const submissions = ref<SubmissionRow[]>([]);
  // Loads overlap (the upload, the failed event and the leaderboard event each ask): useQuery shows
  // only the newest answer.
  const page = useQuery<{
    competition: CompetitionDetail | null;
    me: { id: string; submissions: SubmissionRow[] } | null;
  }>(client, DETAIL, () => ({ slug }));
  const detail = computed(() => page.data.value?.competition ?? null);
  const myUserId = computed(() => page.data.value?.me?.id ?? null);
  watch(page.data, (data) => (submissions.value = [...(data?.me?.submissions ?? [])]));

  useLiveEvents(client, LEADERBOARD_UPDATES, () => void page.reload(), { variables: { slug } });
  if (signedIn)
    useLiveEvents<{ submissionUpdated: SubmissionRow & { competition: { slug: string }; user: { id: string } } }>(
      client,
      SUBMISSION_UPDATES,
      ({ submissionUpdated: changed }) => {
        // Admins receive everyone's events: only the viewer's own, in this competition, belong here.
        if (changed.competition.slug !== slug || changed.user.id !== myUserId.value) return;
        submissions.value = upsertById(submissions.value, changed);
        // A failed submission gives its cap unit back; a scored one is followed by leaderboardUpdated,
        // which reloads the board and the rank.
        if (changed.status === 'FAILED') void page.reload();
      },
    );

  return { detail, submissions, myUserId, loading: page.loading, error: page.error, reload: page.reload };
}

export interface UploadOutcome {
  ok: boolean;
  detail: string;
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
      if (request.status === 201) return resolve({ ok: true, detail: 'Queued for scoring' });
      try {
        resolve({ ok: false, detail: (JSON.parse(request.responseText) as { detail: string }).detail });
      } catch {
        resolve({ ok: false, detail: `Upload failed (${request.status})` });
      }
    };
    request.onerror = () => resolve({ ok: false, detail: 'Upload failed: the connection was lost' });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
