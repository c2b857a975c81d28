//! `esgen lsp`: a language server over stdio, a thin layer over the
//! compiler. Each change of an open spec is checked as `esgen check` checks
//! it (against the lock beside the file), and its diagnostics published
//! with the same codes, messages and help, related spans as related
//! information. Formatting is `esgen fmt`; document symbols are the
//! models with their entities, queries and actions.

mod assist;
mod navigate;

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Source, Span};
use crate::syntax::ast;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, Request as _,
};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    InitializeResult, Location, NumberOrString, OneOf, Position, PublishDiagnosticsParams, Range,
    ServerCapabilities, ServerInfo, SymbolKind, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextEdit, Uri,
};
use std::collections::HashMap;
use std::error::Error;

/// Serves one client on stdin and stdout until it says `exit`.
///
/// # Errors
///
/// When the connection breaks.
pub fn run_stdio() -> Result<(), Box<dyn Error + Send + Sync>> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec!["[".into(), " ".into()]),
            ..lsp_types::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The initialize handshake, then every message until `exit`.
///
/// # Errors
///
/// When the connection breaks.
pub fn serve(connection: &Connection) -> Result<(), Box<dyn Error + Send + Sync>> {
    let (id, _params) = connection.initialize_start()?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "esgen".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    // Open documents by URI (as text: `Uri` caches inside, so it is no key).
    let mut documents: HashMap<String, String> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = respond(&documents, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                if let Some(uri) = notice(&mut documents, notification) {
                    let params = diagnostics(&uri, documents.get(uri.as_str()).map(String::as_str));
                    connection
                        .sender
                        .send(Message::Notification(Notification::new(
                            PublishDiagnostics::METHOD.to_string(),
                            params,
                        )))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// Keeps the open documents' text; returns the document whose
/// diagnostics changed.
fn notice(documents: &mut HashMap<String, String>, notification: Notification) -> Option<Uri> {
    match notification.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let params: lsp_types::DidOpenTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            let uri = params.text_document.uri;
            documents.insert(uri.as_str().to_string(), params.text_document.text);
            Some(uri)
        }
        DidChangeTextDocument::METHOD => {
            let params: lsp_types::DidChangeTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            let uri = params.text_document.uri;
            // Full sync: the last change is the whole text.
            let text = params.content_changes.into_iter().last()?.text;
            documents.insert(uri.as_str().to_string(), text);
            Some(uri)
        }
        DidCloseTextDocument::METHOD => {
            let params: lsp_types::DidCloseTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            let uri = params.text_document.uri;
            documents.remove(uri.as_str());
            Some(uri)
        }
        _ => None,
    }
}

fn respond(documents: &HashMap<String, String>, request: Request) -> Response {
    let id = request.id.clone();
    let result = match request.method.as_str() {
        Formatting::METHOD => serde_json::from_value::<lsp_types::DocumentFormattingParams>(
            request.params,
        )
        .map(|params| {
            let edits = documents
                .get(params.text_document.uri.as_str())
                .and_then(|text| formatting(&params.text_document.uri, text));
            serde_json::to_value(edits).unwrap_or_default()
        }),
        DocumentSymbolRequest::METHOD => serde_json::from_value::<lsp_types::DocumentSymbolParams>(
            request.params,
        )
        .map(|params| {
            let symbols = documents
                .get(params.text_document.uri.as_str())
                .map(|text| symbols(&params.text_document.uri, text));
            serde_json::to_value(symbols.map(DocumentSymbolResponse::Nested)).unwrap_or_default()
        }),
        HoverRequest::METHOD => serde_json::from_value::<lsp_types::HoverParams>(request.params)
            .map(|params| {
                let at = params.text_document_position_params;
                let hover = documents
                    .get(at.text_document.uri.as_str())
                    .and_then(|text| hover(&at.text_document.uri, text, at.position));
                serde_json::to_value(hover).unwrap_or_default()
            }),
        GotoDefinition::METHOD => serde_json::from_value::<lsp_types::GotoDefinitionParams>(
            request.params,
        )
        .map(|params| {
            let at = params.text_document_position_params;
            let found = documents
                .get(at.text_document.uri.as_str())
                .and_then(|text| definition(&at.text_document.uri, text, at.position));
            serde_json::to_value(found.map(lsp_types::GotoDefinitionResponse::Scalar))
                .unwrap_or_default()
        }),
        References::METHOD => serde_json::from_value::<lsp_types::ReferenceParams>(request.params)
            .map(|params| {
                let at = params.text_document_position;
                let found = documents
                    .get(at.text_document.uri.as_str())
                    .map(|text| references(&at.text_document.uri, text, at.position));
                serde_json::to_value(found).unwrap_or_default()
            }),
        Completion::METHOD => serde_json::from_value::<lsp_types::CompletionParams>(request.params)
            .map(|params| {
                let at = params.text_document_position;
                let items = documents
                    .get(at.text_document.uri.as_str())
                    .map(|text| completion(&at.text_document.uri, text, at.position))
                    .unwrap_or_default();
                serde_json::to_value(lsp_types::CompletionResponse::Array(items))
                    .unwrap_or_default()
            }),
        CodeActionRequest::METHOD => {
            serde_json::from_value::<lsp_types::CodeActionParams>(request.params).map(|params| {
                let actions = documents
                    .get(params.text_document.uri.as_str())
                    .map(|text| quick_fixes(text, &params))
                    .unwrap_or_default();
                serde_json::to_value(actions).unwrap_or_default()
            })
        }
        other => {
            return Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("esgen's language server does not answer `{other}`"),
            )
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}

/// The file path of a `file:` URI, as a source name: the lock beside it is
/// read as `esgen check` reads it.
fn source(uri: &Uri, text: &str) -> Source {
    let raw = uri.as_str();
    let path = raw
        .strip_prefix("file://")
        .map_or(raw.to_string(), percent_decoded);
    Source::new(path, text)
}

/// `%20` and the like, decoded.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An LSP position (line, UTF-16 column) of a byte offset.
fn position(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// `str::floor_char_boundary`, which is not stable yet.
trait FloorBoundary {
    fn floor_char_boundary_compat(&self, offset: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// The byte offset of an LSP position (line, UTF-16 column), clamped to
/// the text.
fn offset(text: &str, position: Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

/// The name under the cursor, the syntax tree, and the name of the model
/// the cursor is in.
fn looked_up(uri: &Uri, text: &str, at: Position) -> Option<(String, ast::SpecFile, String)> {
    let offset = offset(text, at);
    let (word, _) = navigate::word_at(text, offset)?;
    let (file, _) = crate::syntax::parse(&source(uri, text));
    let model = navigate::model_at(&file, offset)?.name.text.clone();
    Some((word, file, model))
}

/// Hover reads the checked model; definitions and references need only
/// the syntax tree.
fn hover(uri: &Uri, text: &str, at: Position) -> Option<lsp_types::Hover> {
    let (word, _, model) = looked_up(uri, text, at)?;
    let (spec, _) = crate::check(&source(uri, text));
    let spec = spec?;
    let model = spec.models.iter().find(|m| m.name == model)?;
    let value = navigate::hover(model, &word)?;
    Some(lsp_types::Hover {
        contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
            kind: lsp_types::MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
}

fn definition(uri: &Uri, text: &str, at: Position) -> Option<Location> {
    let (word, file, model) = looked_up(uri, text, at)?;
    let model = file.models.iter().find(|m| m.name.text == model)?;
    let span = navigate::definition(&file, model, &word)?;
    Some(Location::new(uri.clone(), range(text, span)))
}

fn references(uri: &Uri, text: &str, at: Position) -> Vec<Location> {
    let Some((word, file, model)) = looked_up(uri, text, at) else {
        return Vec::new();
    };
    let Some(model) = file.models.iter().find(|m| m.name.text == model) else {
        return Vec::new();
    };
    navigate::references(text, &file, model, &word)
        .into_iter()
        .map(|span| Location::new(uri.clone(), range(text, span)))
        .collect()
}

fn completion(uri: &Uri, text: &str, at: Position) -> Vec<lsp_types::CompletionItem> {
    let offset = offset(text, at);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let (file, _) = crate::syntax::parse(&source(uri, text));
    let model = navigate::model_at(&file, offset);
    // The section the cursor is in: the last header above it.
    let section = model.and_then(|m| {
        m.sections
            .iter()
            .filter(|s| s.span.start < offset)
            .max_by_key(|s| s.span.start)
            .map(|s| s.kind)
    });
    assist::completion(model, section, &text[line_start..offset])
}

/// A quick fix for each diagnostic that has one obvious fix: the name it
/// suggests (`did you mean`), or a term declared (`W0001`).
// `WorkspaceEdit::changes` is lsp-types' own map keyed by `Uri`.
#[allow(clippy::mutable_key_type)]
fn quick_fixes(
    text: &str,
    params: &lsp_types::CodeActionParams,
) -> Vec<lsp_types::CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let mut actions = Vec::new();
    let fix = |title: String, edit: TextEdit, diagnostic: &lsp_types::Diagnostic| {
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        lsp_types::CodeActionOrCommand::CodeAction(lsp_types::CodeAction {
            title,
            kind: Some(lsp_types::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(lsp_types::WorkspaceEdit::new(changes)),
            is_preferred: Some(true),
            ..lsp_types::CodeAction::default()
        })
    };
    for diagnostic in &params.context.diagnostics {
        if let Some(name) = assist::suggestion(&diagnostic.message) {
            actions.push(fix(
                format!("Replace with `{name}`"),
                TextEdit::new(diagnostic.range, name),
                diagnostic,
            ));
            continue;
        }
        let undeclared = diagnostic.code == Some(NumberOrString::String("W0001".into()));
        if undeclared {
            let start = offset(text, diagnostic.range.start);
            let Some((term, _)) = navigate::word_at(text, start) else {
                continue;
            };
            let (file, _) = crate::syntax::parse(&source(uri, text));
            let Some(model) = navigate::model_at(&file, start) else {
                continue;
            };
            let (at, line) = assist::declaration(text, model, &term);
            let position = position(text, at);
            actions.push(fix(
                format!("Declare `{term}` under `Terms:`"),
                TextEdit::new(Range::new(position, position), line),
                diagnostic,
            ));
        }
    }
    actions
}

fn range(text: &str, span: Span) -> Range {
    Range::new(position(text, span.start), position(text, span.end))
}

/// The diagnostics of a document: the same as `esgen check`'s.
fn diagnostics(uri: &Uri, text: Option<&str>) -> PublishDiagnosticsParams {
    let Some(text) = text else {
        return PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
    };
    let source = source(uri, text);
    let (_, found) = crate::check(&source);
    let converted = found.iter().map(|d| diagnostic(uri, text, d)).collect();
    PublishDiagnosticsParams::new(uri.clone(), converted, None)
}

fn diagnostic(uri: &Uri, text: &str, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(text, label.span)),
            message: label.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: d.span.map_or_else(Range::default, |s| range(text, s)),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("esgen".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// `esgen fmt` as one edit of the whole document; none when it is
/// formatted already or does not parse.
fn formatting(uri: &Uri, text: &str) -> Option<Vec<TextEdit>> {
    let formatted = crate::format_spec(&source(uri, text)).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let whole = Range::new(Position::new(0, 0), position(text, text.len()));
    Some(vec![TextEdit::new(whole, formatted)])
}

/// Models, each with its entities, queries and actions.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given.
fn symbols(uri: &Uri, text: &str) -> Vec<DocumentSymbol> {
    let (file, _) = crate::syntax::parse(&source(uri, text));
    let symbol = |name: &str, detail: Option<String>, kind, whole: Span, at: Span, children| {
        DocumentSymbol {
            name: name.to_string(),
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: range(text, whole),
            selection_range: range(text, at),
            children,
        }
    };
    file.models
        .iter()
        .map(|model: &ast::Model| {
            let mut children = Vec::new();
            for entity in &model.entities {
                children.push(symbol(
                    &entity.name.text,
                    Some("entity".into()),
                    SymbolKind::STRUCT,
                    entity.name.span,
                    entity.name.span,
                    None,
                ));
            }
            for query in &model.queries {
                children.push(symbol(
                    &query.name.text,
                    Some("query".into()),
                    SymbolKind::METHOD,
                    query.span,
                    query.name.span,
                    None,
                ));
            }
            for action in &model.actions {
                children.push(symbol(
                    &action.command.text,
                    Some(format!("accepted as {}", action.event.text)),
                    SymbolKind::FUNCTION,
                    action.span,
                    action.command.span,
                    None,
                ));
            }
            let end = children
                .iter()
                .map(|c| c.range.end)
                .max_by_key(|p| (p.line, p.character))
                .unwrap_or_else(|| position(text, model.name.span.end));
            let mut whole = symbol(
                &model.name.text,
                Some("model".into()),
                SymbolKind::MODULE,
                model.name.span,
                model.name.span,
                Some(children),
            );
            whole.range.end = end;
            whole
        })
        .collect()
}
