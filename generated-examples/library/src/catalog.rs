//! The `Catalog` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `library.ddd`
//! into `src/generated/catalog.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::catalog::*;

/// The `Catalog` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Catalog {}

impl CatalogQueries for Catalog {
    // get-book [id]
    fn get_book(&self, _id: &BookId) -> Option<Book> {
        todo!()
    }

    // all-books
    fn all_books(&self) -> Vec<Book> {
        todo!()
    }

    // books-by [author] returns list of Book
    fn books_by(&self, _author: &str) -> Vec<Book> {
        todo!()
    }

    // has-book? [id]
    fn has_book(&self, _id: &BookId) -> bool {
        todo!()
    }

    // book-count
    fn book_count(&self) -> i64 {
        todo!()
    }

    // average-price returns optional number
    fn average_price(&self) -> Option<f64> {
        todo!()
    }

    // editions-of [title] returns list of optional integer
    fn editions_of(&self, _title: &str) -> Vec<Option<i64>> {
        todo!()
    }
}

impl CatalogPropose for Catalog {
    // add-book [id title authors genre published-year list-price tags subtitle type] accepted as book-added [id title authors genre published-year list-price tags subtitle type]
    fn add_book(&self, _command: AddBook) -> Result<BookAdded, Rejection> {
        todo!()
    }

    // reprice [id list-price] accepted as repriced [id list-price]
    fn reprice(&self, _command: Reprice) -> Result<Repriced, Rejection> {
        todo!()
    }

    // move [id shelf] accepted as moved [id shelf]
    fn r#move(&self, _command: Move) -> Result<Moved, Rejection> {
        todo!()
    }

    // record-edition [id edition] accepted as edition-recorded [id edition]
    fn record_edition(&self, _command: RecordEdition) -> Result<EditionRecorded, Rejection> {
        todo!()
    }

    // retire [id] accepted as retired [id]
    fn retire(&self, _command: Retire) -> Result<Retired, Rejection> {
        todo!()
    }
}

impl CatalogAccept for Catalog {
    // book-added [id title authors genre published-year list-price tags subtitle type]
    fn accept_book_added(&mut self, _event: &BookAdded) {
        todo!()
    }

    // repriced [id list-price]
    fn accept_repriced(&mut self, _event: &Repriced) {
        todo!()
    }

    // moved [id shelf]
    fn accept_moved(&mut self, _event: &Moved) {
        todo!()
    }

    // edition-recorded [id edition]
    fn accept_edition_recorded(&mut self, _event: &EditionRecorded) {
        todo!()
    }

    // retired [id]
    fn accept_retired(&mut self, _event: &Retired) {
        todo!()
    }
}
