CREATE INDEX "ratings_conversation_idx" ON "ratings" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "transfers_conversation_idx" ON "transfers" USING btree ("conversation_id");