import { eq } from 'drizzle-orm';
import { ratings } from '../db/schema.js';
import type { ActivityDeps } from './deps.js';
import type { RatingDetails } from '../domain/conversation/events.js';

export function ratingActivities({ db }: ActivityDeps) {
  return {
    /**
     * Records a rating submission; under the "last counts" policy earlier ones stop counting. Idempotent by
     * requestId. `counted: false` keeps a submission that does not count (a second one under "first counts").
     */
    async storeRating(r: {
      conversationId: string; score: number; comment: string | null; requestId: string; replacePrevious: boolean; counted?: boolean;
      details?: RatingDetails;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        const inserted = await tx.insert(ratings)
            .values({
            conversationId: r.conversationId, score: r.score, comment: r.comment, requestId: r.requestId, counted: false,
            ...(r.details ? { scale: r.details.scale, label: r.details.label, resolved: r.details.resolved } : {}),
          })
          .onConflictDoNothing().returning({ id: ratings.id });
        if (inserted.length === 0 || r.counted === false) return;
        if (r.replacePrevious) await tx.update(ratings).set({ counted: false }).where(eq(ratings.conversationId, r.conversationId));
        await tx.update(ratings).set({ counted: true }).where(eq(ratings.id, inserted[0].id));
      });
    },
  };
}
