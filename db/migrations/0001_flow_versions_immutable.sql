-- Published service-flow versions are immutable: running and past conversations refer to them by
-- (flow_id, version), so the database refuses to change or remove one. New versions are inserted.
CREATE FUNCTION "flow_versions_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'published flow versions cannot be changed or deleted (flow %, version %)', OLD.flow_id, OLD.version
		USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "flow_versions_immutable" BEFORE UPDATE OR DELETE ON "flow_versions"
	FOR EACH ROW EXECUTE FUNCTION "flow_versions_immutable"();
