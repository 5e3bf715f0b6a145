import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { parseIntegrationMessage } from '../relay/integration-message.js';
import { CampaignCounters, type CampaignFigures } from './campaign-counters.js';

export type DashboardFeedOptions = Readonly<{
  brokers: readonly string[] | string;
  topicPrefix?: string;
  /** Called after each batch of messages that changed something, e.g. to push to SSE clients. */
  onChange?: (counters: CampaignCounters) => void;
}>;

/**
 * An example consumer of the integration topics: a dashboard's live campaign counters, kept in memory.
 *
 * The counters live only in this process, so every instance reads the topics from the beginning under
 * a consumer group of its own (nothing to resume from); a persistent consumer would store its offsets
 * together with its state instead.
 */
export class DashboardFeed {
  readonly counters = new CampaignCounters();
  private readonly consumer: Consumer;
  private readonly topics: string[];
  private received = 0;

  constructor(private readonly options: DashboardFeedOptions) {
    const brokers =
      typeof options.brokers === 'string' ? options.brokers.split(',') : [...options.brokers];
    const kafka = new Kafka({ clientId: 'dashboard-feed', brokers, logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `dashboard-feed-${randomUUID()}` });
    const prefix = options.topicPrefix ?? 'vc.';
    this.topics = [`${prefix}campaign`, `${prefix}shift`];
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        let changed = false;
        for (const message of batch.messages) {
          this.received += 1;
          const parsed = parseIntegrationMessage(message.value);
          if (parsed && this.counters.apply(parsed)) changed = true;
        }
        if (changed) this.options.onChange?.(this.counters);
      },
    });
  }

  /** Messages consumed, re-deliveries included. */
  get messagesReceived(): number {
    return this.received;
  }

  /** Distinct events consumed (re-deliveries excluded). */
  get distinctEvents(): number {
    return this.counters.distinctEvents;
  }

  figures(campaignId: string): CampaignFigures | null {
    return this.counters.figures(campaignId);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
