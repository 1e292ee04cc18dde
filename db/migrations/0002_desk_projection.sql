CREATE TABLE "agent_presence" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"max_conversations" integer NOT NULL,
	"conversation_ids" jsonb NOT NULL,
	"offered_ids" jsonb NOT NULL,
	"disconnected" boolean NOT NULL,
	"revision" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desk_queue" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL,
	"team_id" text,
	"vip" boolean NOT NULL,
	"visitor_name" text NOT NULL,
	"enqueued_at" timestamp with time zone NOT NULL,
	"seq" integer NOT NULL,
	"position" integer NOT NULL,
	"queued" boolean NOT NULL,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "desk_queue_waiting_idx" ON "desk_queue" USING btree ("desk_id","queued");