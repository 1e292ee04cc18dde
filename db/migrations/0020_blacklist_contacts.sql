CREATE TABLE "blocked_contacts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"reason" text,
	"actor_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blacklist_log" ALTER COLUMN "reason" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "blocked_contacts_kind_value_uq" ON "blocked_contacts" USING btree ("kind","value");