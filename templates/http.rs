//! The models of `{{ krate.spec_file }}` served over HTTP (feature `http`),
//! on axum: a command is a `POST` answered with the event it was accepted
//! as, a query a `GET` answered with its JSON, and a model's events can be
//! read a page at a time or followed as they are stored. A refusal is an
//! RFC 9457 problem (`application/problem+json`) carrying the rule that
//! refused. [`router`] serves every model, the OpenAPI document at
//! `/api/openapi.json` and the console at `/`:
//!
//! ```text
{%- for route in http.routes %}
//! {{ route }}
{%- endfor %}
//! GET /api/openapi.json
//! GET /
//! ```
//!
//! The router is a plain axum `Router`: wrap it in your own layers
//! (authentication, tracing, timeouts) before serving it.

{%- for line in http.uses %}
{{ line }}
{%- endfor %}

/// The OpenAPI 3.1 document of the service, as `esgen schema --format
/// openapi` writes it.
{{ http.openapi }}

/// The console: a page per model, served at `/`.
pub const CONSOLE: &str = include_str!("console.html");

/// The largest request body the service reads: 64 KiB. A larger one is
/// answered `413`.
pub const MAX_BODY: usize = 64 * 1024;

/// How deep a command's JSON may nest: 32 arrays or objects. A deeper one
/// is answered `400` before it is parsed.
pub const MAX_DEPTH: usize = 32;

/// The longest `Idempotency-Key` the service takes: 200 characters.
pub const MAX_KEY: usize = 200;

/// How often a command is tried when another writer stored on its stream
/// first, before it is answered `409`.
const TRIES: usize = 3;

/// The events a page of `/events` holds unless asked for fewer, and at
/// most.
const PAGE: i64 = 100;
const MAX_PAGE: i64 = 1000;

/// How often a live feed looks for new events.
const POLL: Duration = Duration::from_millis(200);

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
    Router::new()
{%- for line in http.merges %}
{{ line }}
{%- endfor %}
        .route("/api/openapi.json", get(openapi))
        .route("/", get(console))
        .fallback(unknown)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(unwinding))
}

/// A request whose handler panics (a method of the aggregate still
/// `todo!()`, say) is answered `500` with a problem, and the service goes
/// on.
async fn unwinding(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use futures_util::FutureExt as _;
    let run = std::panic::AssertUnwindSafe(next.run(request));
    match run.catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let said = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %said, "a request's handler panicked");
            Problem::failed(format!("the service failed on this request: {said}")).into_response()
        }
    }
}

/// The OpenAPI document.
async fn openapi() -> Response {
    let json = HeaderValue::from_static("application/json");
    ([(CONTENT_TYPE, json)], OPENAPI).into_response()
}

/// The console.
async fn console() -> Html<&'static str> {
    Html(CONSOLE)
}

/// A path the service does not serve.
async fn unknown() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not-found", "no such route")
}
{%- for model in http.models %}

/// The `{{ model.name }}` model's routes, under `{{ model.base }}`:
/// its commands, its queries and its events.
{{ model.routes_signature }}
where
{%- for bound in model.bounds %}
    {{ bound }}
{%- endfor %}
{
{{ model.cqrs_let }}
    let served = Arc::new(Served {
        pool: pool.clone(),
        cqrs,
{%- match model.stream_fn %}
{%- when Some with (stream_fn) %}
        stream: {{ stream_fn }},
{%- when None %}
        stream: |_| String::from("{{ model.whole }}"),
{%- endmatch %}
    });
    let commands = Router::new()
{%- for line in model.command_routes %}
{{ line }}
{%- endfor %}
        .with_state(served);
    let queries = Router::new()
{%- for line in model.query_routes %}
{{ line }}
{%- endfor %}
        .with_state(Store {
            pool,
            model: super::{{ model.module }}::STORED_AS,
        });
    commands.merge(queries)
}
{%- for body in model.bodies %}

{{ body }}
{%- endfor %}
{%- if model.loads %}

/// `{{ model.name }}` as its queries read it.
{{ model.model_signature }}
where
    M: {{ model.rust }}Aggregate + Send + Sync,
{
{{ model.model_body }}
}
{%- endif %}
{%- for query in model.queries %}

{{ query }}
{%- endfor %}
{%- endfor %}

/// What a model's command routes share.
struct Served<A: Aggregate> {
    pool: PgPool,
    cqrs: PostgresCqrs<A>,
    /// The stream a command is stored in.
    stream: fn(&A::Command) -> String,
}

/// What a model's query and event routes share.
#[derive(Clone)]
struct Store {
    pool: PgPool,
    /// The model's `aggregate_type`.
    model: &'static str,
}

/// A command's body as the service reads it: a JSON object of the
/// command's fields, by their wire names, and nothing else.
pub trait Body: DeserializeOwned + Send {
    /// The action, as the spec names it.
    const ACTION: &'static str;
    /// The fields' wire names.
    const FIELDS: &'static [&'static str];
}

/// The answer of a query or a command.
type Answer = Result<Response, Problem>;

/// `value` as JSON.
fn answer_with<T: Serialize>(value: &T) -> Answer {
    Ok(Json(value).into_response())
}

tokio::task_local! {
    /// The event the command being executed stored, as [`committed`]
    /// hands it over.
    static COMMITTED: RefCell<Option<Value>>;
}

/// The cqrs-es query that hands the event a command stored to the request
/// that sent the command.
fn committed<A>() -> Box<dyn cqrs_es::Query<A>>
where
    A: Aggregate,
{
    Box::new(Committed)
}

/// See [`committed`].
struct Committed;

#[async_trait::async_trait]
impl<A: Aggregate> cqrs_es::Query<A> for Committed {
    async fn dispatch(&self, _aggregate_id: &str, events: &[EventEnvelope<A>]) {
        let last = events.last().map(|e| serde_json::to_value(&e.payload));
        let last = last.and_then(Result::ok);
        let _ = COMMITTED.try_with(|slot| *slot.borrow_mut() = last);
    }
}

/// `POST …/commands/<action>`: reads the command, executes it once per
/// `Idempotency-Key`, and answers with the event it was accepted as.
async fn command<A, C>(
    State(served): State<Arc<Served<A>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer
where
    A: Aggregate<Error = Rejection>,
    A::Command: Clone,
    C: Body + Into<A::Command>,
{
    let (command, request) = read::<C>(&body)?;
    let key = idempotency_key(&headers)?.map(|id| Key { id, request });
    let command: A::Command = command.into();
    let stream = (served.stream)(&command);
    let span = tracing::info_span!(
        "command",
        model = A::TYPE,
        action = C::ACTION,
        stream = %stream,
        outcome = tracing::field::Empty,
        rule = tracing::field::Empty,
    );
    let started = Instant::now();
    let done = execute(&served, &stream, key.as_ref(), command)
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed();
    match &done {
        Ok(_) => span.record("outcome", "accepted"),
        Err(problem) => {
            span.record("outcome", problem.kind.as_str());
            let rule = problem.rejection.as_ref().map(|r| &*r.rule);
            span.record("rule", rule.unwrap_or_default())
        }
    };
    tracing::debug!(parent: &span, ?elapsed, "answered");
    done.map(|event| Json(event).into_response())
}

/// Executes `command` on `stream`, again while another writer stores
/// first. With a `key`, once per key: the key and the request are stored
/// with the event, in its row (`schema.sql` keeps the key unique per
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
                    let metadata = key.metadata();
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

/// A command's `Idempotency-Key`, with the request it came with.
struct Key {
    /// The key.
    id: String,
    /// The action and the command, as read.
    request: Value,
}

impl Key {
    /// What is stored with the command's event: its id (the runtime's
    /// `COMMAND_ID`) and its request.
    fn metadata(&self) -> std::collections::HashMap<String, String> {
        let mut metadata = std::collections::HashMap::new();
        metadata.insert(COMMAND_ID.to_string(), self.id.clone());
        metadata.insert(REQUEST.to_string(), self.request.to_string());
        metadata
    }
}

/// The metadata key under which a command's request is stored with its
/// event, beside its id.
const REQUEST: &str = "request";

/// The event stored for the command with `key`, when one was: the same
/// request's, or a refusal when the key came with another.
async fn executed(pool: &PgPool, model: &str, key: &Key) -> Result<Option<Value>, Problem> {
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

/// The command a body holds, and the request as the service keeps it
/// with an `Idempotency-Key`: the action and the command's fields.
fn read<C: Body>(body: &[u8]) -> Result<(C, Value), Problem> {
    if depth(body) > MAX_DEPTH {
        return Err(Problem::malformed(format!(
            "the body nests deeper than {MAX_DEPTH} arrays or objects"
        )));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Problem::malformed(format!("the body is not JSON: {e}")))?;
    let mut value = value;
    integral(&mut value);
    let Value::Object(fields) = &value else {
        return Err(Problem::malformed(
            "the body is not a JSON object of the command's fields",
        ));
    };
    if holds_nul(&value) {
        return Err(Problem::malformed(
            "a text of the body holds the character U+0000, which the store cannot keep",
        ));
    }
    if let Some(unknown) = fields.keys().find(|k| !C::FIELDS.contains(&k.as_str())) {
        return Err(Problem::malformed(format!(
            "`{}` has no field `{unknown}`",
            C::ACTION
        )));
    }
    let command = serde_json::from_value(value.clone())
        .map_err(|e| Problem::malformed(format!("the body is not a `{}`: {e}", C::ACTION)))?;
    let request = serde_json::json!({ "action": C::ACTION, "command": value });
    Ok((command, request))
}

/// Numbers written with a fraction of zero (`2.0`) as the integers they
/// are, as JSON Schema reads them: an integer field takes them.
fn integral(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            // 2^63: the integers of i64 are from its negative to below it.
            const BOUND: f64 = 9_223_372_036_854_775_808.0;
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() == 0.0 && (-BOUND..BOUND).contains(&f) {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral),
        Value::Object(fields) => fields.values_mut().for_each(integral),
        _ => {}
    }
}

/// Whether a string of `value` holds U+0000.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(name, value)| name.contains('\0') || holds_nul(value)),
        _ => false,
    }
}

/// How deeply `json` nests arrays and objects, strings left out: checked
/// before parsing, so that a deep body costs no recursion.
fn depth(json: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The command's id a client gives in `Idempotency-Key`, if any.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.as_bytes();
    if key.is_empty() || key.len() > MAX_KEY || !key.iter().all(u8::is_ascii_graphic) {
        return Err(Problem::malformed(format!(
            "`Idempotency-Key` is 1 to {MAX_KEY} visible ASCII characters, without spaces"
        )));
    }
    Ok(Some(String::from_utf8_lossy(key).into_owned()))
}
{%- if http.params %}

/// A query's parameters, from the query string: each by its wire name,
/// a list's as many times as it has values (`?ids=a&ids=b`).
struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let query: Result<Query<Vec<(String, String)>>, QueryRejection> =
            Query::from_request_parts(parts, state).await;
        match query {
            Ok(Query(pairs)) if pairs.iter().any(|(_, value)| value.contains('\0')) => Err(
                Problem::malformed("a parameter holds U+0000, which no value of the model holds"),
            ),
            Ok(Query(pairs)) => Ok(Self(pairs)),
            Err(e) => Err(Problem::malformed(format!("the query string: {e}"))),
        }
    }
}

impl Params {
{%- for method in http.params_methods %}
{%- if !loop.first %}
{% endif %}
{{ method }}
{%- endfor %}
}

/// A parameter's text as a `T`: as a string (text, ids, dates, choices,
/// decimals), else as JSON (numbers, yes/no).
fn parameter<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, Problem> {
    serde_json::from_value(Value::String(text.to_string()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|e| Problem::malformed(format!("the parameter `{name}`: {e}")))
}
{%- endif %}

/// An event as the event routes answer it.
#[derive(Serialize)]
struct Positioned {
    position: i64,
    stream: String,
    sequence: i64,
    event: Value,
}

/// `after` and `limit` of a page of events.
#[derive(serde::Deserialize)]
struct Page {
    after: Option<i64>,
    limit: Option<i64>,
}

/// A page of events.
#[derive(Serialize)]
struct Events {
    events: Vec<Positioned>,
    next: i64,
}

/// `GET …/events?after=<position>&limit=<n>`: the model's events after
/// `after`, in the order stored. No event is skipped: one whose
/// transaction may still commit with a lower position is held back until
/// it has.
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
         WHERE aggregate_type = $1 AND position > $2 \
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY position LIMIT $3",
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
fn positioned<E>(row: &sqlx::postgres::PgRow) -> Result<Positioned, Problem>
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

/// What kind of problem a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A kind of [`Rejection`](super::RejectionKind).
    Rejected(super::RejectionKind),
    /// The request is not one the route reads.
    Malformed,
    /// The service failed: a stored event it cannot read, say.
    Failed,
}

impl ProblemKind {
    /// As the problem's `kind` writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        use super::RejectionKind as K;
        match self {
            Self::Rejected(K::NotFound) => "not-found",
            Self::Rejected(K::Conflict) => "conflict",
            Self::Rejected(K::Invalid) => "invalid",
            Self::Rejected(K::Refused) => "refused",
            Self::Rejected(K::Unavailable) => "unavailable",
            Self::Malformed => "malformed",
            Self::Failed => "failed",
        }
    }
}

/// A refused or malformed request, answered as an RFC 9457 problem
/// (`application/problem+json`): a refused command carries its model,
/// action, rule, kind, message (`detail`) and every broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A short summary.
    pub title: String,
    /// The refusal, when a rule refused the command.
    pub rejection: Option<Box<Rejection>>,
    /// Seconds after which to try again (`Retry-After`), when unavailable.
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of `status` that no rule raised.
    fn new(status: StatusCode, kind: &str, title: impl Into<String>) -> Self {
        let kind = match kind {
            "not-found" => ProblemKind::Rejected(super::RejectionKind::NotFound),
            "conflict" => ProblemKind::Rejected(super::RejectionKind::Conflict),
            "unavailable" => ProblemKind::Rejected(super::RejectionKind::Unavailable),
            "malformed" => ProblemKind::Malformed,
            _ => ProblemKind::Failed,
        };
        Self {
            status,
            kind,
            title: title.into(),
            rejection: None,
            retry_after: None,
        }
    }

    /// A request the route cannot read: `400`.
    fn malformed(title: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed", title)
    }

    /// The service failed: `500`.
    fn failed(title: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "failed", title)
    }

    /// The store could not be read: `503`, worth retrying; or it cannot
    /// hold a value of the request (a data exception): `400`.
    fn store(error: sqlx::Error) -> Self {
        let code = error.as_database_error().and_then(|e| e.code());
        if code.is_some_and(|c| c.starts_with("22")) {
            let message = format!("the store cannot hold a value of the request: {error}");
            return Self::malformed(message);
        }
        tracing::warn!(%error, "the store could not be read");
        let mut problem = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the store could not be read: try again later",
        );
        problem.retry_after = Some(1);
        problem
    }

    /// What `execute` reported.
    fn aggregate(error: AggregateError<Rejection>) -> Self {
        match error {
            AggregateError::UserError(rejection) => Self::from(rejection),
            AggregateError::AggregateConflict => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                "another writer stored on this stream first: send the command again",
            ),
            AggregateError::DatabaseConnectionError(error) => {
                tracing::warn!(%error, "the store is out of reach");
                let mut problem = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the store is out of reach: try again later",
                );
                problem.retry_after = Some(1);
                problem
            }
            AggregateError::DeserializationError(error) => {
                tracing::error!(%error, "a stored event cannot be read");
                Self::failed(format!("a stored event cannot be read: {error}"))
            }
            AggregateError::UnexpectedError(error) => {
                tracing::error!(%error, "the store refused");
                Self::failed(format!("the store refused: {error}"))
            }
        }
    }
}

/// A refusal by the model: its status by its kind (`not-found` 404,
/// `conflict` and `refused` 409, `invalid` 422, `unavailable` 503).
impl From<Rejection> for Problem {
    fn from(rejection: Rejection) -> Self {
        use super::RejectionKind as K;
        let status = match rejection.kind {
            K::NotFound => StatusCode::NOT_FOUND,
            K::Conflict | K::Refused => StatusCode::CONFLICT,
            K::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            K::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        Self {
            status,
            kind: ProblemKind::Rejected(rejection.kind),
            title: format!("`{}` refused", rejection.action),
            retry_after: (rejection.kind == K::Unavailable).then_some(1),
            rejection: Some(Box::new(rejection)),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        let kind = self.kind.as_str();
        body.insert("type".into(), format!("urn:esgen:problem:{kind}").into());
        body.insert("title".into(), self.title.into());
        body.insert("status".into(), self.status.as_u16().into());
        body.insert("kind".into(), kind.into());
        if let Some(rejection) = &self.rejection {
            body.insert("detail".into(), rejection.message.clone().into());
            body.insert("model".into(), rejection.model.to_string().into());
            body.insert("action".into(), rejection.action.to_string().into());
            body.insert("rule".into(), rejection.rule.to_string().into());
            let problems = serde_json::to_value(&rejection.problems).unwrap_or_default();
            body.insert("problems".into(), problems);
        }
        let problem = HeaderValue::from_static("application/problem+json");
        let mut response = (self.status, [(CONTENT_TYPE, problem)], Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(RETRY_AFTER, seconds.into());
        }
        response
    }
}
