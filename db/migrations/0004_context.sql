CREATE TABLE "conversation_origins" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"page_url" text NOT NULL,
	"page_title" text,
	"referrer" text,
	"browser" text,
	"os" text,
	"language" text,
	"timezone_offset" integer,
	"time_zone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_page_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"url" text NOT NULL,
	"title" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_profile_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"visitor_id" uuid NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"actor_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "flow_vars" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "company" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_origins" ADD CONSTRAINT "conversation_origins_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_page_views" ADD CONSTRAINT "conversation_page_views_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_profile_audit" ADD CONSTRAINT "visitor_profile_audit_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_page_views_conversation_idx" ON "conversation_page_views" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "visitor_profile_audit_visitor_idx" ON "visitor_profile_audit" USING btree ("visitor_id","at");