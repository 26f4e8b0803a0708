import type { Logger } from '@medforge/shared-schema';

import type { NotificationSink, SessionNotification } from '../ports/notification-sink';

/**
 * Posts notifications as JSON to the installation's webhook (admin-configured; none: nothing is sent).
 * A slow or failing receiver never holds a stop: each POST gives up after `timeoutMs`, and failures are
 * logged with the receiver's host only (a webhook URL often holds a secret in its path).
 */
export class WebhookNotifications implements NotificationSink {
  constructor(
    private readonly webhookUrl: () => Promise<string | null>,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  async send(notification: SessionNotification): Promise<void> {
    let url: string | null = null;
    try {
      url = await this.webhookUrl();
      if (!url) return;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'MedForge-Notifications/1' },
        body: JSON.stringify(notification),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`the receiver answered HTTP ${response.status}`);
    } catch (error) {
      this.logger.warn(
        {
          event: notification.event,
          session_id: notification.session.id,
          webhook_host: url ? new URL(url).host : null,
          reason: (error as Error).message,
        },
        'notification webhook failed',
      );
    }
  }
}
