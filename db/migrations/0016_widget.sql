CREATE TABLE "widget_settings" (
	"channel" text PRIMARY KEY NOT NULL,
	"position" text DEFAULT 'bottom-right' NOT NULL,
	"color" text DEFAULT '#2f6fde' NOT NULL,
	"label" text DEFAULT 'Chat with us' NOT NULL,
	"icon" text DEFAULT 'chat' NOT NULL,
	"allowed_origins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"identity_secret" text NOT NULL,
	"secret_rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "identity" text DEFAULT 'anonymous' NOT NULL;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "identity_channel" text;--> statement-breakpoint
CREATE UNIQUE INDEX "visitors_verified_identity_uq" ON "visitors" USING btree ("identity_channel","external_id") WHERE "visitors"."identity" = 'verified';