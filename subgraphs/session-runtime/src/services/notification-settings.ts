import { type Actor, DomainError, type Knex, type Logger, requireAdmin } from '@medforge/shared-schema';

const WEBHOOK = 'notification_webhook_url';
const MAX_URL = 2048;
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * The installation's notification webhook, set by administrators at run time (kept in the session
 * database, read fresh for each notification). Only https, except loopback receivers outside production
 * (a development or test listener on this host).
 */
export class NotificationSettings {
  constructor(
    private readonly knex: Knex,
    private readonly production: boolean,
    private readonly logger: Logger,
  ) {}

  async webhookUrl(): Promise<string | null> {
    const row = (await this.knex('platform_settings').where({ name: WEBHOOK }).first('value')) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Sets (or, with null or '', removes) the webhook; the URL is checked first. */
  async setWebhookUrl(actor: Actor | null, url: string | null): Promise<string | null> {
    const admin = requireAdmin(actor);
    const value = url?.trim() ? this.checked(url.trim()) : null;
    if (value === null) await this.knex('platform_settings').where({ name: WEBHOOK }).delete();
    else {
      await this.knex('platform_settings')
        .insert({ name: WEBHOOK, value, updated_by: admin.userId, updated_at: new Date() })
        .onConflict('name')
        .merge();
    }
    this.logger.info(
      { by: admin.userId, webhook_host: value ? new URL(value).host : null },
      value ? 'notification webhook set' : 'notification webhook removed',
    );
    return value;
  }

  private checked(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new DomainError('BAD_USER_INPUT', 'The webhook must be an absolute URL (https://…)');
    }
    if (raw.length > MAX_URL) throw new DomainError('BAD_USER_INPUT', `The webhook URL is longer than ${MAX_URL}`);
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname);
    if (url.protocol !== 'https:' && !(loopback && !this.production)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        this.production
          ? 'The webhook must use https'
          : 'The webhook must use https (plain http only to a loopback address, outside production)',
      );
    }
    return url.toString();
  }
}
