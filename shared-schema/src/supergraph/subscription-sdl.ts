/**
 * The Subscription type the gateway serves itself (@apollo/gateway does not execute subscriptions): part of
 * the public API, so clients generate types from it (schema/api.graphql) as from the supergraph.
 */
export const SUBSCRIPTION_SDL = `
  extend schema {
    subscription: Subscription
  }

  type Subscription {
    """
    Changes of your sessions (all sessions for admins), or of one session when \`id\` is given. Every
    field of Session, including those other subgraphs own (user, gpu, ...), can be selected.
    """
    sessionUpdated(id: ID): Session!

    """
    Status changes of your submissions (QUEUED, SCORING, SCORED, FAILED; all submissions for admins), or
    of one submission when \`id\` is given.
    """
    submissionUpdated(id: ID): Submission!

    """
    The competition, each time one of its submissions is scored: select \`leaderboard\` (and, signed in,
    \`myLeaderboardEntry\`). Open to everyone, like the leaderboard itself.
    """
    leaderboardUpdated(competitionSlug: String!): Competition!

    """
    A GPU, each time session-runtime reads its telemetry (every few seconds, physical GPUs only): select
    \`telemetry\`. Administrators get every GPU, or the one \`index\` names; others only the GPU their own
    active session holds.
    """
    gpuTelemetryUpdated(index: Int): Gpu!
  }`;
