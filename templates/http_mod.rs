//! The models of `{{ krate.spec_file }}` served over HTTP (feature `http`),
//! on axum: a command is a `POST` answered with the event it was accepted
//! as, a query a `GET` answered with its JSON, and a model's events can be
//! read a page at a time or followed as they are stored. A refusal is an
//! RFC 9457 problem (`application/problem+json`) carrying the rule that
//! refused. The `router` of [`sqlite`] or of [`postgres`] (feature
//! `postgres`) serves every model, the OpenAPI document
//! at `/api/openapi.json` and the console at `/`{% if http.opens %}; [`open`] picks one by
//! the database's address{% endif %}:
//!
//! ```text
{%- for route in http.routes %}
//! {{ route }}
{%- endfor %}
//! GET /api/openapi.json
//! GET /metrics
//! GET /
//! ```
//!
//! The router is a plain axum `Router`: wrap it in your own layers
//! (authentication, tracing, timeouts) before serving it.
{% for line in http.mod_uses %}
{{ line }}
{%- endfor %}

/// The service over PostgreSQL.
#[cfg(feature = "postgres")]
pub mod postgres;

/// The service over SQLite.
pub mod sqlite;

/// The OpenAPI 3.1 document of the service, as `esgen schema --format
/// openapi` writes it.
{{ http.openapi }}

/// The console: a page per model, served at `/`.
pub const CONSOLE: &str = include_str!("../console.html");

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
{%- if http.snapshots %}

/// How many events of a stream a snapshot is taken after, for a model
/// kept in one stream whose state is generated.
const SNAPSHOT_EVERY: usize = 100;
{%- endif %}

/// How often a live feed looks for new events.
const POLL: Duration = Duration::from_millis(200);
{%- if http.opens %}

/// The service over the database at `url`, made ready (tables created
/// when missing and brought up to date): PostgreSQL for a `postgres://…`
/// address (feature `postgres`), else SQLite, in the file it names
/// (`sqlite://events.db`, or a path), created when missing.
///
/// # Errors
///
/// When the database cannot be reached or its tables written, or the crate
/// is built without the feature of the database `url` names.
pub async fn open(url: &str) -> Result<Router, Box<dyn std::error::Error + Send + Sync>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url).await
    } else {
        sqlite::open(url).await
    }
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> Result<Router, Box<dyn std::error::Error + Send + Sync>> {
    postgres::open(url).await
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str) -> Result<Router, Box<dyn std::error::Error + Send + Sync>> {
    Err("a PostgreSQL address, and the crate is built without its `postgres` feature".into())
}
{%- endif %}

/// The service's metrics, shared by every router of the process, in
/// Prometheus's text format at `/metrics`: commands by model, action and
/// outcome (`accepted`, or the problem's kind), their latencies, and the
/// events stored by model.
struct Metrics {
    registry: Registry,
    commands: Family<Labels<3>, Counter>,
    latency: Family<Labels<2>, Histogram, fn() -> Histogram>,
    events: Family<Labels<1>, Counter>,
{%- if http.policies %}
    lag: Family<Labels<1>, Gauge>,
{%- endif %}
}

/// A metric's labels: `N` names, each with its value.
type Labels<const N: usize> = [(&'static str, &'static str); N];

impl Metrics {
    /// The metrics of the process.
    fn get() -> &'static Self {
        static METRICS: std::sync::OnceLock<Metrics> = std::sync::OnceLock::new();
        METRICS.get_or_init(Self::new)
    }

    fn new() -> Self {
        let mut registry = Registry::default();
        let commands = Family::default();
        registry.register(
            "esgen_commands",
            "Commands answered, by model, action and outcome",
            commands.clone(),
        );
        // From half a millisecond to about 16 seconds.
        let buckets: fn() -> Histogram = || Histogram::new(exponential_buckets(0.0005, 2.0, 16));
        let latency = Family::new_with_constructor(buckets);
        registry.register(
            "esgen_command_duration_seconds",
            "How long commands took to answer, by model and action",
            latency.clone(),
        );
        let events = Family::default();
        registry.register(
            "esgen_events_stored",
            "Events stored, by model",
            events.clone(),
        );
{%- if http.policies %}
        let lag = Family::default();
        registry.register(
            "esgen_policy_lag",
            "Events of its model a policy has yet to act on, by policy",
            lag.clone(),
        );
{%- endif %}
        Self {
            registry,
            commands,
            latency,
            events,
{%- if http.policies %}
            lag,
{%- endif %}
        }
    }
{%- if http.policies %}

    /// Records that `policy` has `lag` events of its model yet to act on.
    fn lag(policy: &'static str, lag: i64) {
        let metrics = Self::get();
        metrics.lag.get_or_create(&[("policy", policy)]).set(lag);
    }
{%- endif %}

    /// Records a command of `model`'s `action`, answered with `outcome`
    /// after `elapsed`.
    fn command(
        model: &'static str,
        action: &'static str,
        outcome: &'static str,
        elapsed: Duration,
    ) {
        let metrics = Self::get();
        let labels = [("model", model), ("action", action), ("outcome", outcome)];
        metrics.commands.get_or_create(&labels).inc();
        let labels = [("model", model), ("action", action)];
        metrics
            .latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        if outcome == "accepted" {
            metrics.events.get_or_create(&[("model", model)]).inc();
        }
    }
}

/// `GET /metrics`.
async fn metrics() -> Response {
    let mut text = String::new();
    if encode(&mut text, &Metrics::get().registry).is_err() {
        return Problem::failed("the metrics could not be written").into_response();
    }
    let kind = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(CONTENT_TYPE, HeaderValue::from_static(kind))], text).into_response()
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
/// Each action of a model, and its fields' wire names: what a command's
/// body may hold.
type Commands = &'static [(&'static str, &'static [&'static str])];
{%- for table in http.commands %}

{{ table }}
{%- endfor %}

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

/// A command's `Idempotency-Key`, with the request it came with.
struct Key {
    /// The key.
    id: String,
    /// The action and the command, as read.
    request: Value,
}

impl Key {
    /// What is stored with the command's event: its id, under the
    /// runtime's `command_id` key, and its request.
    fn metadata(&self, command_id: &str) -> std::collections::HashMap<String, String> {
        let mut metadata = std::collections::HashMap::new();
        metadata.insert(command_id.to_string(), self.id.clone());
        metadata.insert(REQUEST.to_string(), self.request.to_string());
        metadata
    }
}

/// The metadata key under which a command's request is stored with its
/// event, beside its id.
const REQUEST: &str = "request";

/// The command `action` a body holds (a JSON object of exactly `fields`),
/// and the request as the service keeps it with an `Idempotency-Key`: the
/// action and the command's fields.
fn read<C: DeserializeOwned>(
    body: &[u8],
    action: &'static str,
    fields: &[&str],
) -> Result<(C, Value), Problem> {
    if depth(body) > MAX_DEPTH {
        return Err(Problem::malformed(format!(
            "the body nests deeper than {MAX_DEPTH} arrays or objects"
        )));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Problem::malformed(format!("the body is not JSON: {e}")))?;
    let mut value = value;
    integral(&mut value);
    let Value::Object(given) = &value else {
        return Err(Problem::malformed(
            "the body is not a JSON object of the command's fields",
        ));
    };
    if holds_nul(&value) {
        return Err(Problem::malformed(
            "a text of the body holds the character U+0000, which the store cannot keep",
        ));
    }
    if let Some(unknown) = given.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(Problem::malformed(format!(
            "`{action}` has no field `{unknown}`"
        )));
    }
    let mut tagged = serde_json::Map::new();
    tagged.insert(action.to_string(), value.clone());
    let command = serde_json::from_value(Value::Object(tagged))
        .map_err(|e| Problem::malformed(format!("the body is not a `{action}`: {e}")))?;
    let request = serde_json::json!({ "action": action, "command": value });
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
