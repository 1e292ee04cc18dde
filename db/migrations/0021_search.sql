CREATE INDEX "conversations_created_idx" ON "conversations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "conversations_team_created_idx" ON "conversations" USING btree ("team_id","created_at");--> statement-breakpoint
CREATE INDEX "ratings_conversation_idx" ON "ratings" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "transfers_conversation_idx" ON "transfers" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "visitors_name_trgm_idx" ON "visitors" USING gin ("display_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "visitors_email_trgm_idx" ON "visitors" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "visitors_phone_trgm_idx" ON "visitors" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "visitors_external_id_idx" ON "visitors" USING btree ("external_id");