CREATE TABLE "prechat_forms" (
	"channel" text PRIMARY KEY NOT NULL,
	"form" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prechat_submissions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"visitor_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"answers" jsonb NOT NULL,
	"consent_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "scale" integer;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "ratings" ADD COLUMN "resolved" boolean;--> statement-breakpoint
ALTER TABLE "prechat_submissions" ADD CONSTRAINT "prechat_submissions_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "prechat_submissions_visitor_idx" ON "prechat_submissions" USING btree ("visitor_id","created_at");