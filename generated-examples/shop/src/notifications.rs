//! What the policies of `shop.ddd` that say `notify by` do: the
//! effects outside the spec (an e-mail, a webhook), written by you.
//!
//! esgen created this file once and never changes it: it is yours. When
//! the spec gains a `notify by` policy, the compiler lists the method to
//! add here. Each is called at least once per event: again when it fails,
//! and when the runner stopped before it saved that it was called. Hand
//! `key` on (an idempotency key of the service you call), or remember it,
//! to act once.

use crate::generated::orders::Placed;
use crate::generated::payments::Declined;
use crate::generated::policies::Notifications;
use crate::generated::policies::NotifyError;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The shop's confirmations, sent to an outbox that a mailer empties:
/// one message per order, whatever the number of calls, as the outbox is
/// keyed by the event that caused it.
#[derive(Debug, Default, Clone)]
pub struct Notifier {
    outbox: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Notifier {
    /// The messages in the outbox, by the key of the event that caused
    /// each.
    #[must_use]
    pub fn outbox(&self) -> BTreeMap<String, String> {
        self.outbox.lock().map(|o| o.clone()).unwrap_or_default()
    }
}

impl Notifications for Notifier {
    async fn send_confirmation(&self, event: &Placed, key: &str) -> Result<(), NotifyError> {
        let message = format!(
            "Dear {}, your order {} of {} cents is placed.",
            event.customer, event.order_id, event.total
        );
        self.send(key, message)
    }

    async fn tell_the_customer(&self, event: &Declined, key: &str) -> Result<(), NotifyError> {
        let message = format!(
            "Your payment for order {} was declined: {}.",
            event.order_id, event.reason
        );
        self.send(key, message)
    }
}

impl Notifier {
    /// Puts `message` in the outbox under `key`, once.
    fn send(&self, key: &str, message: String) -> Result<(), NotifyError> {
        let mut outbox = self.outbox.lock().map_err(|_| "the outbox is poisoned")?;
        outbox.entry(key.to_string()).or_insert(message);
        Ok(())
    }
}
