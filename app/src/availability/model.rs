//! What stands in the way of a hold, as the messages name it.
use crate::bookings::model::LocalSlot;
use chrono::{DateTime, Utc};

/// What stands in the way of a booking, for the message that names the clash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Another booking takes the space, or a space it is part of or contains. When the two
    /// do not overlap but come closer than the buffer between bookings, `buffer_minutes` says so.
    Booking {
        space: String,
        slot: LocalSlot,
        buffer_minutes: Option<u32>,
    },
    /// A manager closed the space.
    Block {
        space: String,
        slot: LocalSlot,
        reason: String,
    },
    /// A confirmed event holds the space: during its set-up, itself, or its teardown.
    /// Tenants are told which phase and when, never whose event it is.
    Event {
        space: String,
        phase: EventPhase,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// The database refused an overlap it saw first (a booking made at the same instant).
    Concurrent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventPhase {
    Setup,
    Event,
    Teardown,
}
