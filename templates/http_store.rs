//! The service over {% if http.sqlite %}SQLite{% else %}PostgreSQL{% endif %} (feature `{% if http.sqlite %}sqlite{% else %}postgres{% endif %}`): [`router`] serves
//! the models stored in the database of a pool.
{% for line in http.uses %}
{{ line }}
{%- endfor %}
{%- if http.opens %}

/// The service over the database at `url`, made ready: its tables created
/// when missing{% if !http.heals.is_empty() %}, and its materialized tables brought up to date{% endif %}.
///
/// # Errors
///
/// When the database cannot be reached, or its tables written.
pub async fn open(url: &str) -> Result<Router, Box<dyn std::error::Error + Send + Sync>> {
    let pool = connect(url, 16).await?;
    migrate(&pool).await?;
{%- for line in http.heals %}
{{ line }}
{%- endfor %}
    Ok(router(pool))
}
{%- endif %}

/// Every model's routes, the OpenAPI document at `/api/openapi.json` and
/// the console at `/`, over the database of `pool`. Each model is the
/// aggregate its file of `src/` defines.
{{ http.router_signature }}
{%- if !http.router_bounds.is_empty() %}
where
{%- for bound in http.router_bounds %}
    {{ bound }}
{%- endfor %}
{
{%- else %} {
{%- endif %}
{%- if http.settles %}
    let settling = Arc::new(Policies::new(pool.clone(), Unnotified));
{%- endif %}
    Router::new()
{%- for line in http.merges %}
{{ line }}
{%- endfor %}
        .route("/api/openapi.json", get(openapi))
{%- if http.policies %}
        .route("/metrics", get(move || metrics_with_lag(pool.clone())))
{%- else %}
        .route("/metrics", get(metrics))
{%- endif %}
        .route("/", get(console))
        .fallback(unknown)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(unwinding))
}

{%- for model in http.models %}
{%- for alias in model.aliases %}

{{ alias }}
{%- endfor %}

/// The `{{ model.name }}` model's routes, under `{{ model.base }}`:
/// its commands, its queries and its events.
{{ model.routes_signature }}
{%- if !model.bounds.is_empty() %}
where
{%- for bound in model.bounds %}
    {{ bound }}
{%- endfor %}
{
{%- else %} {
{%- endif %}
{{ model.cqrs_let }}
    let served = Arc::new(Served {
        pool: pool.clone(),
        cqrs,
{%- if http.settles %}
        settling: {{ model.settling }},
{%- endif %}
{%- match model.stream_fn %}
{%- when Some with (stream_fn) %}
        stream: {{ stream_fn }},
{%- when None %}
        stream: |_| String::from("{{ model.whole }}"),
{%- endmatch %}
    });
    let commands = Router::new()
{{ model.command_route }}
        .with_state(served);
    let queries = Router::new()
{%- for line in model.query_routes %}
{{ line }}
{%- endfor %}
        .with_state(Store {
            pool,
            model: {{ model.stored_as }},
        });
    commands.merge(queries)
}

/// `POST {{ model.base }}/commands/{action}`.
{{ model.command_signature }}
{%- if !model.bounds.is_empty() %}
where
{%- for bound in model.bounds %}
    {{ bound }}
{%- endfor %}
{
{%- else %} {
{%- endif %}
{{ model.command_body }}
}
{%- if model.loads %}

/// `{{ model.name }}` as its queries read it.
{{ model.model_signature }}
{{ model.model_body }}
}
{%- endif %}
{%- for query in model.queries %}

{{ query }}
{%- endfor %}
{%- endfor %}

{%- if http.policies %}

/// `GET /metrics`, each policy's lag read from the database first.
async fn metrics_with_lag(pool: Pool) -> axum::response::Response {
    use crate::generated::policies::Policy;
    use crate::generated::runtime::{% if http.sqlite %}sqlite{% else %}postgres{% endif %}::{lag, Subscription};
    for policy in Policy::ALL {
        let subscription = Subscription {
            name: policy.name(),
            model: policy.model(),
            from_now: policy.from_now(),
        };
        if let Ok(behind) = lag(&pool, &subscription).await {
            super::Metrics::lag(policy.name(), behind);
        }
    }
    metrics().await
}
{%- endif %}

{%- if http.settles %}

/// The spec's policies as the service runs them: the `strong` ones that
/// send a command, settled before a command of their event's model is
/// answered (see `Policies::settle_commands`).
pub type Settling = Arc<Policies<Unnotified>>;
{%- endif %}

/// What a model's command routes share.
struct Served<A: Aggregate> {
    pool: Pool,
    cqrs: Cqrs<A>,
{%- if http.settles %}
    /// The `strong` policies of the model's events that send a command,
    /// awaited before a command is answered.
    settling: Option<Settling>,
{%- endif %}
    /// The stream a command is stored in.
    stream: fn(&A::Command) -> String,
}

/// What a model's query and event routes share.
#[derive(Clone)]
struct Store {
    pool: Pool,
    /// The model's `aggregate_type`.
    model: &'static str,
}

/// `POST …/commands/<action>`: reads the command `action` (one of
/// `commands`), executes it once per `Idempotency-Key`, and answers with
/// the event it was accepted as.
async fn command<A>(
    served: &Served<A>,
    commands: Commands,
    action: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Answer
where
    A: Aggregate<Error = Rejection>,
    A::Command: Clone + DeserializeOwned,
{
    let Some(&(action, fields)) = commands.iter().find(|(name, _)| *name == action) else {
        return Err(unknown().await);
    };
    let (command, request) = read::<A::Command>(body, action, fields)?;
    let key = idempotency_key(headers)?.map(|id| Key { id, request });
    let stream = (served.stream)(&command);
    let span = tracing::info_span!(
        "command",
        model = A::TYPE,
        action = action,
        stream = %stream,
        outcome = tracing::field::Empty,
        rule = tracing::field::Empty,
    );
    let started = Instant::now();
    let done = execute(served, &stream, key.as_ref(), command)
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed();
    let outcome = match &done {
        Ok(_) => "accepted",
        Err(problem) => problem.kind.as_str(),
    };
    Metrics::command(A::TYPE, action, outcome, elapsed);
    match &done {
        Ok(_) => span.record("outcome", "accepted"),
        Err(problem) => {
            span.record("outcome", problem.kind.as_str());
            let rule = problem.rejection.as_ref().map(|r| &*r.rule);
            span.record("rule", rule.unwrap_or_default())
        }
    };
    tracing::debug!(parent: &span, ?elapsed, "answered");
{%- if http.settles %}
    let event = done?;
    // The event is in the store; what its strong policies do happens
    // before the answer. A retry with its `Idempotency-Key` waits again.
    if let Some(settling) = &served.settling {
        settling.settle_commands().await.map_err(Problem::store)?;
    }
    Ok(Json(event).into_response())
{%- else %}
    done.map(|event| Json(event).into_response())
{%- endif %}
}

/// Executes `command` on `stream`, again while another writer stores
/// first. With a `key`, once per key: the key and the request are stored
/// with the event, in its row (the schema keeps the key unique per
/// model), so a retry of the same request, even one racing the first,
/// stores nothing and is answered with the event the first stored; the key
/// sent with another request conflicts with the first (`409`).
async fn execute<A>(
    served: &Served<A>,
    stream: &str,
    key: Option<&Key>,
    command: A::Command,
) -> Result<Value, Problem>
where
    A: Aggregate<Error = Rejection>,
    A::Command: Clone,
{
    if let Some(key) = key {
        if let Some(event) = executed(&served.pool, A::TYPE, key).await? {
            return Ok(event);
        }
    }
    for _ in 0..TRIES {
        let command = command.clone();
        let run = async {
            let done = match key {
                Some(key) => {
                    let metadata = key.metadata(COMMAND_ID);
                    let cqrs = &served.cqrs;
                    cqrs.execute_with_metadata(stream, command, metadata).await
                }
                None => served.cqrs.execute(stream, command).await,
            };
            (done, COMMITTED.with(|slot| slot.borrow_mut().take()))
        };
        match COMMITTED.scope(RefCell::new(None), run).await {
            (Ok(()), Some(event)) => return Ok(event),
            (Ok(()), None) => {
                let message = "the command was stored, but not handed back";
                return Err(Problem::failed(message));
            }
            (Err(AggregateError::AggregateConflict), _) => {
                // Another writer stored first: perhaps this very request,
                // sent twice at once.
                if let Some(key) = key {
                    if let Some(event) = executed(&served.pool, A::TYPE, key).await? {
                        return Ok(event);
                    }
                }
            }
            (Err(error), _) => return Err(Problem::aggregate(error)),
        }
    }
    Err(Problem::new(
        StatusCode::CONFLICT,
        "conflict",
        "other writers kept storing on this stream first: send the command again",
    ))
}

/// The event stored for the command with `key`, when one was: the same
/// request's, or a refusal when the key came with another.
async fn executed(pool: &Pool, model: &str, key: &Key) -> Result<Option<Value>, Problem> {
    let row = sqlx::query(
        "SELECT payload, metadata ->> 'request' AS request FROM events \
         WHERE aggregate_type = $1 AND metadata ->> 'command_id' = $2",
    )
    .bind(model)
    .bind(&key.id)
    .fetch_optional(pool)
    .await
    .map_err(Problem::store)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let payload: Value = row.try_get("payload").map_err(Problem::store)?;
    let request: Option<String> = row.try_get("request").map_err(Problem::store)?;
    let same = request
        .and_then(|r| serde_json::from_str::<Value>(&r).ok())
        .is_some_and(|r| r == key.request);
    if !same {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "conflict",
            "this `Idempotency-Key` came with another request: a new command needs a new key",
        ));
    }
    Ok(Some(payload))
}

/// `GET …/events?after=<position>&limit=<n>`: the model's events after
/// `after`, in the order stored. No event is skipped: {% if http.sqlite %}SQLite commits
/// one writer at a time, so no event commits below a position read.{% else %}one whose
/// transaction may still commit with a lower position is held back until
/// it has.{% endif %}
async fn events<E>(State(store): State<Store>, page: Result<Query<Page>, QueryRejection>) -> Answer
where
    E: DeserializeOwned + Serialize,
{
    let Query(page) = page.map_err(|e| Problem::malformed(format!("the query string: {e}")))?;
    let after = page.after.unwrap_or(0);
    let limit = page.limit.unwrap_or(PAGE);
    if after < 0 || !(1..=MAX_PAGE).contains(&limit) {
        return Err(Problem::malformed(format!(
            "`after` is at least 0 and `limit` between 1 and {MAX_PAGE}"
        )));
    }
    let events = page_of::<E>(&store, after, limit).await?;
    let next = events.last().map_or(after, |e| e.position);
    answer_with(&Events { events, next })
}

/// The events of `model` after `after`, at most `limit`, each read as the
/// model's event and written at its current version.
async fn page_of<E>(store: &Store, after: i64, limit: i64) -> Result<Vec<Positioned>, Problem>
where
    E: DeserializeOwned + Serialize,
{
    let rows = sqlx::query(
        "SELECT position, aggregate_id, sequence, payload FROM events \
{%- if http.sqlite %}
         WHERE aggregate_type = $1 AND position > $2 \
         ORDER BY position LIMIT $3",
{%- else %}
         WHERE aggregate_type = $1 AND position > $2 \
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY position LIMIT $3",
{%- endif %}
    )
    .bind(store.model)
    .bind(after)
    .bind(limit)
    .fetch_all(&store.pool)
    .await
    .map_err(Problem::store)?;
    rows.iter().map(positioned::<E>).collect()
}

/// A row of the events table, its payload read as an `E`.
fn positioned<E>(row: &Row) -> Result<Positioned, Problem>
where
    E: DeserializeOwned + Serialize,
{
    let position: i64 = row.try_get("position").map_err(Problem::store)?;
    let stream: String = row.try_get("aggregate_id").map_err(Problem::store)?;
    let sequence: i64 = row.try_get("sequence").map_err(Problem::store)?;
    let payload: Value = row.try_get("payload").map_err(Problem::store)?;
    let unreadable = |e: serde_json::Error| {
        Problem::failed(format!(
            "event {sequence} of the stream `{stream}` cannot be read: {e}"
        ))
    };
    let event: E = serde_json::from_value(payload).map_err(unreadable)?;
    let event = serde_json::to_value(event).map_err(unreadable)?;
    Ok(Positioned {
        position,
        stream,
        sequence,
        event,
    })
}

/// `GET …/streams/{stream}/events`: one stream's events, in order.
async fn stream<E>(State(store): State<Store>, Path(stream): Path<String>) -> Answer
where
    E: DeserializeOwned + Serialize,
{
    let rows = sqlx::query(
        "SELECT position, aggregate_id, sequence, payload FROM events \
         WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence",
    )
    .bind(store.model)
    .bind(&stream)
    .fetch_all(&store.pool)
    .await
    .map_err(Problem::store)?;
    let events: Vec<Positioned> = rows.iter().map(positioned::<E>).collect::<Result<_, _>>()?;
    answer_with(&events)
}

/// `GET …/events/live?after=<position>`: the model's events as they are
/// stored, as server-sent events whose ids are their positions; from the
/// latest when `after` is left out. A failed read is sent as an `error`
/// event, and reading goes on.
async fn live<E>(State(store): State<Store>, page: Result<Query<Page>, QueryRejection>) -> Answer
where
    E: DeserializeOwned + Serialize + Send + 'static,
{
    let Query(page) = page.map_err(|e| Problem::malformed(format!("the query string: {e}")))?;
    let after = match page.after {
        Some(after) if after >= 0 => after,
        Some(_) => return Err(Problem::malformed("`after` is at least 0")),
        None => latest(&store).await?,
    };
    let ready = std::collections::VecDeque::<Positioned>::new();
    let state = (store, after, ready);
    let feed = futures_util::stream::unfold(state, |(store, after, mut ready)| async move {
        loop {
            if let Some(event) = ready.pop_front() {
                let message = Sse::default()
                    .id(event.position.to_string())
                    .json_data(&event)
                    .unwrap_or_else(|_| Sse::default().event("error"));
                return Some((Ok::<_, Infallible>(message), (store, event.position, ready)));
            }
            match page_of::<E>(&store, after, PAGE).await {
                Ok(page) if page.is_empty() => tokio::time::sleep(POLL).await,
                Ok(page) => ready.extend(page),
                Err(problem) => {
                    let message = Sse::default().event("error").data(problem.title);
                    tokio::time::sleep(POLL).await;
                    return Some((Ok(message), (store, after, ready)));
                }
            }
        }
    });
    let sse = axum::response::sse::Sse::new(feed).keep_alive(KeepAlive::default());
    Ok(sse.into_response())
}

/// The position of the model's latest event, 0 when it has none.
async fn latest(store: &Store) -> Result<i64, Problem> {
    sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events WHERE aggregate_type = $1")
        .bind(store.model)
        .fetch_one(&store.pool)
        .await
        .map_err(Problem::store)
}
