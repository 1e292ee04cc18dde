CREATE TABLE "report_facts" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"flow_id" text NOT NULL,
	"team_id" text,
	"agent_id" uuid,
	"status" text NOT NULL,
	"closed_by" text,
	"queued_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"requeues" integer DEFAULT 0 NOT NULL,
	"transfers" integer DEFAULT 0 NOT NULL,
	"rating_invited" boolean DEFAULT false NOT NULL,
	"rating_score" integer,
	"rating_normalized" integer,
	"rating_scale" integer,
	"rating_resolved" boolean,
	"rating_has_comment" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_offers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"offered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "report_facts_started_idx" ON "report_facts" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "report_facts_agent_started_idx" ON "report_facts" USING btree ("agent_id","started_at");--> statement-breakpoint
CREATE INDEX "report_offers_offered_idx" ON "report_offers" USING btree ("offered_at");--> statement-breakpoint
CREATE INDEX "report_offers_pending_idx" ON "report_offers" USING btree ("conversation_id","agent_id") WHERE "report_offers"."outcome" = 'pending';--> statement-breakpoint
CREATE INDEX "transfers_created_idx" ON "transfers" USING btree ("created_at");