CREATE TABLE "canned_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"category" text,
	"search" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_org_shortcut_uq" ON "canned_responses" USING btree ("shortcut") WHERE "canned_responses"."owner_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_owner_shortcut_uq" ON "canned_responses" USING btree ("owner_id","shortcut") WHERE "canned_responses"."owner_id" is not null;--> statement-breakpoint
CREATE INDEX "canned_responses_org_lookup_idx" ON "canned_responses" USING btree (("shortcut" collate "C")) WHERE "canned_responses"."owner_id" is null;--> statement-breakpoint
CREATE INDEX "canned_responses_owner_lookup_idx" ON "canned_responses" USING btree ("owner_id",("shortcut" collate "C")) WHERE "canned_responses"."owner_id" is not null;