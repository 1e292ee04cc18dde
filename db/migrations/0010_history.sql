CREATE INDEX "transfers_from_agent_idx" ON "transfers" USING btree ("from_agent_id");--> statement-breakpoint
CREATE INDEX "transfers_to_agent_idx" ON "transfers" USING btree ("to_agent_id");