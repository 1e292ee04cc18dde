-- Message search for "My conversations" (db/history.ts). Custom SQL: drizzle-kit cannot express
-- extensions, functions or expression indexes over them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- The text people read in a transcript entry: what visitors, agents and the flow wrote (any kind with
-- a text, a menu, a form). Parley's own notices (queue, transfer, timeout, end, rating) are left out:
-- they are the same in every conversation.
CREATE OR REPLACE FUNCTION parley_search_text(sender text, body jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF sender = 'system' OR body->>'kind' IN ('queue', 'notice', 'transfer', 'timeout', 'end', 'rating-invite', 'rating-result') THEN RETURN ''; END IF;
  IF body->>'kind' = 'text' THEN RETURN coalesce(body->>'text', ''); END IF;
  RETURN concat_ws(' ', body->>'text', body->>'header', body->>'prompt', body->>'tail',
    CASE WHEN jsonb_typeof(body->'items') = 'array' THEN (SELECT string_agg(i->>'content', ' ') FROM jsonb_array_elements(body->'items') i) END,
    CASE WHEN jsonb_typeof(body->'options') = 'array' THEN (SELECT string_agg(o #>> '{}', ' ') FROM jsonb_array_elements(body->'options') o) END);
END
$$;
--> statement-breakpoint
-- The words of a text for full-text search. The 'simple' configuration (no stemming, no stop words:
-- transcripts are in any language) keeps a run of Chinese, Japanese or Korean characters as one word,
-- so each run is also indexed as its characters and its overlapping pairs (bigrams): a search for any
-- CJK substring becomes a query over those (domain/history.ts builds it).
CREATE OR REPLACE FUNCTION parley_search_doc(t text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  cjk constant text := '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]';
BEGIN
  IF t !~ cjk THEN RETURN pg_catalog.to_tsvector('simple', t); END IF;
  RETURN pg_catalog.to_tsvector('simple', t || ' ' || coalesce((
    SELECT string_agg(substr(r[1], i, 1) || CASE WHEN i < char_length(r[1]) THEN ' ' || substr(r[1], i, 2) ELSE '' END, ' ')
    FROM regexp_matches(t, cjk || '+', 'g') r, generate_series(1, char_length(r[1])) i), ''));
END
$$;
--> statement-breakpoint
-- Qualified names: index builds and generated columns may run with search_path = pg_catalog.
CREATE OR REPLACE FUNCTION parley_search_tsv(sender text, body jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT public.parley_search_doc(public.parley_search_text(sender, body)) $$;
--> statement-breakpoint
-- Stored, so a search checks a message without recomputing its words (db/history.ts scans an agent's
-- newest conversations message by message when a word is common). Not in db/schema.ts: the app never
-- reads them through drizzle, only db/history.ts in SQL.
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS search_text text GENERATED ALWAYS AS (public.parley_search_text(sender, body)) STORED,
  ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS (public.parley_search_tsv(sender, body)) STORED;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_search_tsv_idx ON messages USING gin (search_tsv);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_search_trgm_idx ON messages USING gin (search_text gin_trgm_ops);
