//! What each policy of `shop.ddd` sends for its event: the command's
//! fields taken from the event by name or by the policy's lines, and no
//! command for an event its `only if` refuses.

use shop::generated::orders::{self as orders, OrderId};
use shop::generated::payments::{self as payments};
use shop::generated::shipping;

#[test]
fn a_placed_order_is_charged_its_total() {
    let placed = orders::Placed {
        order_id: OrderId::new("o1"),
        customer: "Ann".to_string(),
        total: 1250,
    };
    assert_eq!(
        orders::placed_then_charge(&placed),
        Some(payments::Charge {
            order_id: OrderId::new("o1"),
            amount: 1250,
        })
    );
}

#[test]
fn a_paid_order_is_shipped_and_a_parcel_that_left_marks_it() {
    let paid = orders::MarkedPaid {
        order_id: OrderId::new("o1"),
    };
    assert_eq!(
        orders::marked_paid_then_ship(&paid),
        Some(shipping::Ship {
            order_id: OrderId::new("o1"),
        })
    );
    let shipped = shipping::Shipped {
        order_id: OrderId::new("o1"),
    };
    assert_eq!(
        shipping::shipped_then_mark_shipped(&shipped),
        Some(orders::MarkShipped {
            order_id: OrderId::new("o1"),
        })
    );
}

#[test]
fn a_declined_charge_cancels_its_order_unless_it_will_be_retried() {
    let declined = |reason: &str| payments::Declined {
        order_id: OrderId::new("o1"),
        reason: reason.to_string(),
    };
    assert_eq!(
        payments::declined_then_cancel(&declined("card expired")),
        Some(orders::Cancel {
            order_id: OrderId::new("o1"),
            reason: "card expired".to_string(),
        })
    );
    assert_eq!(payments::declined_then_cancel(&declined("retry")), None);
}
