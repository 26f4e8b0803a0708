import { gql } from '@apollo/client/core';

export interface CompetitionSummary {
  slug: string;
  title: string;
  summary: string;
  metric: string;
  leaderboard: { totalEntries: number };
}

export const COMPETITIONS = gql`
  query Competitions {
    competitions {
      slug
      title
      summary
      metric
      leaderboard(limit: 1) {
        totalEntries
      }
    }
  }
`;

export interface GpuAvailability {
  gpuAvailability: { total: number; free: number };
}

export const GPU_AVAILABILITY = gql`
  query GpuAvailability {
    gpuAvailability {
      total
      free
    }
  }
`;

export const METRIC_LABELS: Record<string, string> = { ACCURACY: 'Accuracy', MAP_IOU: 'mAP @ IoU 0.40–0.75' };
