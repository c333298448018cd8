/**
 * Notifications: turns shop events into emails. Requests pass through a rate-limited signal, so
 * a burst of orders cannot flood the mail provider: emails beyond the rate wait in a bounded
 * queue, and requests beyond the queue are dropped and counted as backpressure.
 */
import { BackpressureError, createRateLimitedSignal, type RateLimitedSignal } from '@sigscope/core';
import type { NotificationRequested, ShopEvents } from '../events.js';
import type { ReplayLog } from '../replays.js';

export interface NotificationsOptions {
  /** Emails sent per second at most. @default 20 */
  readonly emailsPerSecond?: number;
  /** Emails sent at once before the rate applies. @default 5 */
  readonly burst?: number;
  /** Emails waiting for the rate limiter at most; more are dropped. @default 50 */
  readonly queueCapacity?: number;
  /** Sent emails kept for `GET /api/state`. @default 50 */
  readonly maxOutboxEntries?: number;
}

export interface SentEmail {
  readonly eventId: string;
  readonly to: string;
  readonly template: NotificationRequested['template'];
  readonly subject: string;
  /** True when this email was sent again because its request was replayed. */
  readonly replay: boolean;
  readonly at: string;
}

export interface NotificationsSnapshot {
  readonly sent: number;
  readonly queued: number;
  /** Requests refused with backpressure because the queue was full. */
  readonly dropped: number;
  /** Requests for users this package never saw register. */
  readonly undeliverable: number;
  /** The newest sent emails, oldest first. */
  readonly outbox: readonly SentEmail[];
}

export interface NotificationsPackage {
  readonly emails: RateLimitedSignal<NotificationRequested & { replay: boolean }>;
  snapshot(): NotificationsSnapshot;
  dispose(): void;
}

export function createNotifications(
  events: ShopEvents,
  replays: ReplayLog,
  options: NotificationsOptions = {},
): NotificationsPackage {
  const maxOutboxEntries = options.maxOutboxEntries ?? 50;
  // Notifications keeps its own copy of each user's address, learnt from user.registered.
  const emailByUserId = new Map<string, string>();
  const outbox: SentEmail[] = [];
  let sent = 0;
  let undeliverable = 0;

  const emails = createRateLimitedSignal<NotificationRequested & { replay: boolean }>({
    name: 'notifications.email',
    ratePerSecond: options.emailsPerSecond ?? 20,
    burst: options.burst ?? 5,
    queueCapacity: options.queueCapacity ?? 50,
  });

  events.userRegistered.addListener(function rememberAddress(user) {
    emailByUserId.set(user.userId, user.email);
  }, 'notifications.remember-address');

  events.userRegistered.addListener(function requestWelcome(user, ctx) {
    void events.notificationRequested.emit(
      { ...events.nextMeta(), userId: user.userId, template: 'welcome', subject: user.userId },
      ctx,
    );
  }, 'notifications.request-welcome');

  events.orderCancelled.addListener(function requestCancellationNotice(order, ctx) {
    void events.notificationRequested.emit(
      {
        ...events.nextMeta(),
        userId: order.customerId,
        template: 'order-cancelled',
        subject: order.orderId,
      },
      ctx,
    );
  }, 'notifications.request-cancellation-notice');

  events.notificationRequested.addListener(function enqueueEmail(request, ctx) {
    const replay = replays.checkDelivery(
      'notification.requested',
      'notifications.enqueue-email',
      request.eventId,
      ctx,
    );
    try {
      emails.emit({ ...request, replay }, ctx);
    } catch (error) {
      // The limiter counts the drop itself; anything else is a real failure.
      if (!(error instanceof BackpressureError)) throw error;
    }
  }, 'notifications.enqueue-email');

  emails.signal.addListener(function sendEmail(request, ctx) {
    const replay =
      replays.checkDelivery(
        'notifications.email.signal',
        'notifications.send-email',
        request.eventId,
        ctx,
      ) || request.replay;
    const to = emailByUserId.get(request.userId);
    if (to === undefined) {
      undeliverable += 1;
      return;
    }

    sent += 1;
    outbox.push({
      eventId: request.eventId,
      to,
      template: request.template,
      subject: request.subject,
      replay,
      at: new Date().toISOString(),
    });
    if (outbox.length > maxOutboxEntries) outbox.shift();
  }, 'notifications.send-email');

  return {
    emails,
    snapshot: () => ({
      sent,
      queued: emails.queued,
      dropped: emails.dropped,
      undeliverable,
      outbox: [...outbox],
    }),
    dispose: () => {
      emails.dispose();
    },
  };
}
