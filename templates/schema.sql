-- The tables the crate of `{{ krate.spec_file }}` stores its events in (postgres-es's
-- layout, so that its tools read them too). Apply with `psql -f schema.sql`, or `migrate(&pool)` from
-- Rust; each statement creates only what is missing.

-- Every event of every model: a stream is (aggregate_type, aggregate_id),
-- its events numbered by sequence; a second writer of the same sequence
-- fails on the primary key, which is how a conflict is detected.
CREATE TABLE IF NOT EXISTS events
(
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

-- Every event's place in the whole store, and the transaction that wrote
-- it: `read_all` follows the store in order, and passes no event whose
-- transaction may still commit below a position it returned.
ALTER TABLE events ADD COLUMN IF NOT EXISTS position bigserial;
ALTER TABLE events ADD COLUMN IF NOT EXISTS transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE UNIQUE INDEX IF NOT EXISTS events_position ON events (position);

-- A command executed with an id (`execute_once`) is stored once: its event
-- carries the id in its metadata, and a second event with the same id in
-- the same model fails here, as a conflict.
CREATE UNIQUE INDEX IF NOT EXISTS events_command_id
    ON events (aggregate_type, (metadata ->> 'command_id'))
    WHERE metadata ->> 'command_id' IS NOT NULL;

-- The latest snapshot of each stream, for a framework built with
-- `<model>_cqrs_with_snapshots`: written in the transaction of the event
-- it reflects (`last_sequence`); the older one is deleted then.
CREATE TABLE IF NOT EXISTS snapshots
(
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);
{%- if krate.has_tables %}

-- The shape of each materialized table's rows, as the crate that wrote
-- them had it: `<model>_heal` rebuilds a table whose shape changed.
CREATE TABLE IF NOT EXISTS esgen_tables
(
    name  text NOT NULL PRIMARY KEY,
    shape text NOT NULL
);
{%- endif %}
{%- if krate.policies %}

-- Each policy's subscription: the position of the last event it handled,
-- which only moves forward (`follow`), and the runner that holds it until
-- when (milliseconds since 1970), so that one runner at a time acts on its
-- events, in order. A policy that runs again resumes after its position.
CREATE TABLE IF NOT EXISTS esgen_subscriptions
(
    name        text   NOT NULL PRIMARY KEY,
    position    bigint NOT NULL,
    owner       text  ,
    lease_until bigint NOT NULL DEFAULT 0
);

-- The events a policy could not act on: refused, unreadable, or failing
-- every try. The subscription moved on past them.
CREATE TABLE IF NOT EXISTS esgen_dead_letters
(
    subscription   text        NOT NULL,
    position       bigint      NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    sequence       bigint      NOT NULL,
    event_type     text        NOT NULL,
    tries          bigint      NOT NULL,
    error          text        NOT NULL,
    parked_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscription, position)
);
{%- endif %}
{%- for model in krate.runtime_models %}
{%- for table in model.tables %}

-- The `{{ model.name }}` model's {{ table.plural }}, one row per `{{ table.entity_name }}` as its stream
-- holds it (`{{ table.kind }}/<key>`), kept up to date by `{{ model.rust }}Tables` as events are
-- stored: what the queries over all of them read. `position` keeps the
-- order they were created in; `sequence` is the stream's last event the row
-- reflects, and a write reflecting an older one changes nothing.
CREATE TABLE IF NOT EXISTS {{ table.table }}
(
    key      text      NOT NULL PRIMARY KEY,
    position bigserial NOT NULL,
    payload  json      NOT NULL,
    sequence bigint    NOT NULL DEFAULT 0
);
ALTER TABLE {{ table.table }} ADD COLUMN IF NOT EXISTS sequence bigint NOT NULL DEFAULT 0;
{%- endfor %}
{%- endfor %}
