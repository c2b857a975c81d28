-- The tables the crate of `{{ krate.spec_file }}` stores its events in on SQLite
-- (sqlite-es's layout, with the same columns as on PostgreSQL). Applied by
-- `sqlite::migrate(&pool)`; each statement creates only what is missing.

-- Every event of every model: a stream is (aggregate_type, aggregate_id),
-- its events numbered by sequence; a second writer of the same sequence
-- fails on the unique key, which is how a conflict is detected. `position`
-- is each event's place in the whole store: SQLite commits one writer at a
-- time, so positions commit in order.
CREATE TABLE IF NOT EXISTS events
(
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 0),
    event_type     TEXT    NOT NULL,
    event_version  TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    UNIQUE (aggregate_type, aggregate_id, sequence)
);

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
    aggregate_type   TEXT    NOT NULL,
    aggregate_id     TEXT    NOT NULL,
    last_sequence    INTEGER NOT NULL CHECK (last_sequence >= 0),
    current_snapshot INTEGER NOT NULL CHECK (current_snapshot >= 0),
    payload          TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);
{%- if krate.has_tables %}

-- The shape of each materialized table's rows, as the crate that wrote
-- them had it: `<model>_heal` rebuilds a table whose shape changed.
CREATE TABLE IF NOT EXISTS esgen_tables
(
    name  TEXT NOT NULL PRIMARY KEY,
    shape TEXT NOT NULL
);
{%- endif %}
{%- if krate.policies %}

-- Each policy's subscription: the position of the last event it handled,
-- which only moves forward (`follow`), and the runner that holds it until
-- when (milliseconds since 1970), so that one runner at a time acts on its
-- events, in order. A policy that runs again resumes after its position.
CREATE TABLE IF NOT EXISTS esgen_subscriptions
(
    name        TEXT    NOT NULL PRIMARY KEY,
    position    INTEGER NOT NULL,
    owner       TEXT   ,
    lease_until INTEGER NOT NULL DEFAULT 0
);

-- The events a policy could not act on: refused, unreadable, or failing
-- every try. The subscription moved on past them.
CREATE TABLE IF NOT EXISTS esgen_dead_letters
(
    subscription   TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    event_type     TEXT    NOT NULL,
    tries          INTEGER NOT NULL,
    error          TEXT    NOT NULL,
    parked_at      TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    key      TEXT    NOT NULL UNIQUE,
    payload  TEXT    NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0
);
{%- endfor %}
{%- endfor %}
