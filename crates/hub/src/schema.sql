-- The bureau hub, schema version 1. Run by `beatbook hub init` as the database's owner,
-- in one transaction. Terminals connect with their own roles (members of
-- the hub's group role); row-level security keeps each station terminal to its station's rows
-- whatever client it uses.

CREATE TABLE hub_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per enrolled terminal; `name` is its PostgreSQL role.
CREATE TABLE terminals (
    name       text PRIMARY KEY,
    scope      text NOT NULL CHECK (scope IN ('station', 'bureau')),
    -- The station it serves (a record id); NULL for bureau terminals.
    station    text,
    label      text NOT NULL DEFAULT '',
    -- The newest change-log sequence of the terminal the hub has taken.
    last_seq   bigint NOT NULL DEFAULT 0,
    -- The terminal's audit chain head at its last push.
    audit_head text,
    last_push  timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'station') = (station IS NOT NULL))
);

-- The hub sequence, handed out under this row's lock: a push holds it until it commits,
-- so sequences become visible in order and a reader following `hub_seq > cursor` never
-- skips one that commits late.
CREATE TABLE hub_counter (
    id      int PRIMARY KEY CHECK (id = 1),
    hub_seq bigint NOT NULL
);
INSERT INTO hub_counter VALUES (1, 0);

-- The head of every record: the version the hub holds.
CREATE TABLE records (
    id       text PRIMARY KEY,
    kind     text NOT NULL,
    station  text NOT NULL,
    revision bigint NOT NULL,
    deleted  boolean NOT NULL DEFAULT false,
    body     jsonb,
    hub_seq  bigint NOT NULL,
    -- The terminal whose change this head is.
    terminal text NOT NULL
);
CREATE INDEX records_kind_station ON records (kind, station);

-- Every change a terminal pushed, once per (terminal, seq): what a retry is answered from.
CREATE TABLE changes (
    terminal text NOT NULL,
    seq      bigint NOT NULL,
    -- Set when applied: the order terminals pull in.
    hub_seq  bigint UNIQUE,
    kind     text NOT NULL,
    id       text NOT NULL,
    station  text NOT NULL,
    base     bigint NOT NULL,
    revision bigint NOT NULL,
    deleted  boolean NOT NULL DEFAULT false,
    body     jsonb,
    -- applied: the pushed version became the head; merged: the pushed and the head's
    -- changes were merged field by field into a new head (this row's body); conflict: kept.
    outcome  text NOT NULL CHECK (outcome IN ('applied', 'merged', 'conflict')),
    conflict bigint,
    at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (terminal, seq)
);

-- A pushed version the hub did not apply, beside the head it met: nothing overwritten.
CREATE TABLE conflicts (
    id            bigserial PRIMARY KEY,
    terminal      text NOT NULL,
    seq           bigint NOT NULL,
    kind          text NOT NULL,
    record        text NOT NULL,
    station       text NOT NULL,
    reason        text NOT NULL CHECK (reason IN ('revision', 'not_permitted')),
    base          bigint NOT NULL,
    revision      bigint NOT NULL,
    mine          jsonb,
    head_revision bigint,
    head          jsonb,
    -- The fields changed on both sides (a revision conflict), for the person deciding.
    fields        text[] NOT NULL DEFAULT '{}',
    at            timestamptz NOT NULL DEFAULT now(),
    -- Decided by a person on a terminal of the station (the decision itself is a change
    -- on top of the head, pushed like any other): when, from which terminal, and how.
    resolved_at   timestamptz,
    resolved_by   text,
    resolution    text CHECK (resolution IN ('kept', 'hub', 'fields')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);

-- Who the connected terminal is. SECURITY DEFINER so that policies can read `terminals`;
-- `session_user` is the login role (`current_user` would be the definer).
CREATE FUNCTION bb_scope() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$ SELECT scope FROM public.terminals WHERE name = session_user $$;
CREATE FUNCTION bb_station() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$ SELECT station FROM public.terminals WHERE name = session_user $$;

-- Read: a station terminal its station's records plus every station and account (login
-- works offline); a bureau terminal everything.
CREATE FUNCTION bb_may_read(kind text, station text) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT bb_scope() = 'bureau' OR station = bb_station() OR kind IN ('station', 'officer') $$;
-- Write: a station terminal its station's records; a bureau terminal findings, accounts
-- and stations only (supervisors direct; they do not change a station's cases).
CREATE FUNCTION bb_may_write(kind text, station text) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT (bb_scope() = 'station' AND station = bb_station())
              OR (bb_scope() = 'bureau' AND kind IN ('finding', 'officer', 'station')) $$;

-- {group}: the group role of this hub's terminals (one per database: a terminal of one hub
-- on a server has no rights on another), and only it may connect.
REVOKE CONNECT ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT ON DATABASE {database} TO {group};

ALTER TABLE records ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON records FOR SELECT USING (bb_may_read(kind, station));
CREATE POLICY add ON records FOR INSERT WITH CHECK (bb_may_write(kind, station));
CREATE POLICY change ON records FOR UPDATE
    USING (bb_may_write(kind, station)) WITH CHECK (bb_may_write(kind, station));

ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON changes FOR SELECT
    USING (terminal = session_user OR (outcome <> 'conflict' AND bb_may_read(kind, station)));
CREATE POLICY add ON changes FOR INSERT
    WITH CHECK (terminal = session_user AND (outcome = 'conflict' OR bb_may_write(kind, station)));

ALTER TABLE conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON conflicts FOR SELECT
    USING (terminal = session_user OR bb_scope() = 'bureau' OR station = bb_station());
CREATE POLICY add ON conflicts FOR INSERT WITH CHECK (terminal = session_user);
-- Decided by a terminal that may write the record: one of its station's, or a bureau
-- terminal for accounts, stations and findings.
CREATE POLICY decide ON conflicts FOR UPDATE
    USING (bb_may_write(kind, station)) WITH CHECK (bb_may_write(kind, station));

ALTER TABLE terminals ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON terminals FOR SELECT USING (name = session_user OR bb_scope() = 'bureau');
CREATE POLICY own ON terminals FOR UPDATE USING (name = session_user) WITH CHECK (name = session_user);

REVOKE ALL ON hub_meta, terminals, hub_counter, records, changes, conflicts FROM PUBLIC;
GRANT SELECT ON hub_meta TO {group};
GRANT SELECT ON terminals TO {group};
GRANT UPDATE (last_seq, audit_head, last_push) ON terminals TO {group};
GRANT SELECT, UPDATE ON hub_counter TO {group};
GRANT SELECT, INSERT, UPDATE ON records TO {group};
GRANT SELECT, INSERT ON changes TO {group};
GRANT SELECT, INSERT ON conflicts TO {group};
GRANT UPDATE (resolved_at, resolved_by, resolution) ON conflicts TO {group};
GRANT USAGE ON SEQUENCE conflicts_id_seq TO {group};
