import { type ApolloClient, gql } from '@apollo/client/core';
import { onMounted, onUnmounted, ref } from 'vue';

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
  const detail = ref<CompetitionDetail | null>(null);
  const loading = ref(true);
  const submissions = ref<SubmissionRow[]>([]);
  const myUserId = ref<string | null>(null);
  const error = ref<string | null>(null);
  const subscriptions: Array<{ unsubscribe(): void }> = [];

  // Loads overlap (the upload, the scored event and the leaderboard event each ask): only the newest
  // answer is shown, so an older one arriving late cannot put stale state back.
  let latest = 0;
  const load = async () => {
    const ticket = ++latest;
    try {
      const { data } = await client.query<{
        competition: CompetitionDetail | null;
        me: { id: string; submissions: SubmissionRow[] } | null;
      }>({ query: DETAIL, variables: { slug }, fetchPolicy: 'network-only' });
      if (ticket !== latest) return;
      detail.value = data.competition;
      submissions.value = [...(data.me?.submissions ?? [])];
      myUserId.value = data.me?.id ?? null;
      error.value = null;
    } catch (caught) {
      if (ticket === latest) error.value = (caught as Error).message;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  };

  onMounted(async () => {
    subscriptions.push(
      client.subscribe({ query: LEADERBOARD_UPDATES, variables: { slug } }).subscribe({ next: () => void load() }),
    );
    if (signedIn)
      subscriptions.push(
        client
          .subscribe<{ submissionUpdated: SubmissionRow & { competition: { slug: string }; user: { id: string } } }>({
            query: SUBMISSION_UPDATES,
          })
          .subscribe({
            next: ({ data }) => {
              // Admins receive everyone's events: only the viewer's own, in this competition, belong here.
              const changed = data?.submissionUpdated;
              if (!changed || changed.competition.slug !== slug || changed.user.id !== myUserId.value) return;
              const index = submissions.value.findIndex((s) => s.id === changed.id);
              if (index >= 0) submissions.value.splice(index, 1, changed);
              else submissions.value.unshift(changed);
              // A failed submission gives its cap unit back; a scored one is followed by leaderboardUpdated,
              // which reloads the board and the rank.
              if (changed.status === 'FAILED') void load();
            },
          }),
      );
    await load();
  });
  onUnmounted(() => subscriptions.forEach((s) => s.unsubscribe()));

  return { detail, submissions, myUserId, loading, error, reload: load };
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
