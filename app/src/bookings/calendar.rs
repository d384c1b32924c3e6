//! Reading the calendar: day and week views, the search for a free space, the screen by a
//! room's door, and the managers' utilisation figures. Reads only.
use super::model::{
    Calendar, DisplayBooking, DoorDisplay, FreeSpace, LocalSlot, Quote, SegmentView, SlotKind,
    SpaceDays, SpaceLine, UtilisationRow,
};
use super::rules::{self, Busy, SegmentKind, Violation};
use super::service::{
    Actor, BookingError, bookable_spaces, bookable_spaces_page, children_map, first_clash,
    included_used, rates_for,
};
use crate::availability::service::children_map_of;
use crate::entities::{booking, occupancy, organisation, space, space_block, space_equipment};
use crate::organisations::model::Tier;
use crate::spaces::model::{Equipment, SpaceKind};
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// The hours a calendar shows each day.
pub const WINDOW: (u32, u32) = (7 * 60, 23 * 60);

/// Which spaces a calendar shows, and which slice of them.
#[derive(Debug, Clone, Copy, Default)]
pub struct CalendarFilter {
    pub kind: Option<SpaceKind>,
    pub min_capacity: Option<i32>,
    pub offset: usize,
    pub limit: usize,
}

fn line(s: &space::Model, parents: &HashMap<i32, String>) -> SpaceLine {
    SpaceLine {
        id: s.id,
        name: s.name.clone(),
        kind: s.kind,
        capacity: s.capacity,
        part_of: s.parent_id.and_then(|p| parents.get(&p).cloned()),
    }
}

async fn parent_names(
    db: &impl ConnectionTrait,
    spaces: &[&space::Model],
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: Vec<i32> = spaces.iter().filter_map(|s| s.parent_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(space::Entity::find()
        .filter(space::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

fn day_span(dates: &[NaiveDate]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = *dates.first()?;
    let last = *dates.last()?;
    Some((
        rules::paris_to_utc(first, 0).ok()?,
        rules::paris_to_utc(last, rules::DAY_MINUTES).ok()?,
    ))
}

/// The calendar of bookable spaces over some days, as `actor` may see it: their own
/// organisation's bookings with titles (all of them for a manager), others' only as taken.
pub async fn calendar(
    db: &impl ConnectionTrait,
    actor: &Actor,
    dates: &[NaiveDate],
    filter: CalendarFilter,
    now: DateTime<Utc>,
) -> Result<Calendar, DbErr> {
    let (total_spaces, shown) = bookable_spaces_page(
        db,
        filter.kind,
        filter.min_capacity,
        filter.offset,
        filter.limit.max(1),
    )
    .await?;
    let Some((from, until)) = day_span(dates) else {
        return Ok(Calendar {
            dates: Vec::new(),
            from_minute: WINDOW.0,
            to_minute: WINDOW.1,
            spaces: Vec::new(),
            total_spaces,
        });
    };

    let ids: Vec<i32> = shown.iter().map(|(s, _, _)| s.id).collect();
    let children = children_map_of(db, &ids).await?;
    let leaves_of: HashMap<i32, Vec<i32>> = shown
        .iter()
        .map(|(s, _, _)| (s.id, rules::leaf_spaces(s.id, &children)))
        .collect();
    let all_leaves: HashSet<i32> = leaves_of.values().flatten().copied().collect();

    // One query for every occupancy of the period, then the bookings and blocks behind them.
    let occupancies = if all_leaves.is_empty() {
        Vec::new()
    } else {
        occupancy::Entity::find()
            .filter(occupancy::Column::LeafSpaceId.is_in(all_leaves.iter().copied()))
            .filter(occupancy::Column::StartsAt.lt(until.timestamp()))
            .filter(occupancy::Column::EndsAt.gt(from.timestamp()))
            .all(db)
            .await?
    };
    let booking_ids: HashSet<i32> = occupancies.iter().filter_map(|o| o.booking_id).collect();
    let block_ids: HashSet<i32> = occupancies.iter().filter_map(|o| o.block_id).collect();
    let bookings: HashMap<i32, booking::Model> = if booking_ids.is_empty() {
        HashMap::new()
    } else {
        booking::Entity::find()
            .filter(booking::Column::Id.is_in(booking_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect()
    };
    let blocks: HashMap<i32, space_block::Model> = if block_ids.is_empty() {
        HashMap::new()
    } else {
        space_block::Entity::find()
            .filter(space_block::Column::Id.is_in(block_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect()
    };
    let mut by_leaf: HashMap<i32, Vec<&occupancy::Model>> = HashMap::new();
    for o in &occupancies {
        by_leaf.entry(o.leaf_space_id).or_default().push(o);
    }
    let parents = parent_names(db, &shown.iter().map(|(s, _, _)| s).collect::<Vec<_>>()).await?;

    let mut out = Vec::with_capacity(shown.len());
    for (s, booking_rules, hours) in &shown {
        // The hall's bookings sit on both halves: keep each booking, block or event once.
        // Tenants see an event only as taken.
        let mut seen = HashSet::new();
        let mine: Vec<&occupancy::Model> = leaves_of
            .get(&s.id)
            .into_iter()
            .flatten()
            .flat_map(|leaf| by_leaf.get(leaf).into_iter().flatten().copied())
            .filter(|o| seen.insert((o.booking_id, o.block_id, o.event_id)))
            .collect();
        let days = dates
            .iter()
            .map(|date| {
                let busy: Vec<Busy> = mine
                    .iter()
                    .filter_map(|o| {
                        let start = rules::local_minute_of(
                            *date,
                            DateTime::from_timestamp(o.starts_at, 0)?,
                        );
                        let end =
                            rules::local_minute_of(*date, DateTime::from_timestamp(o.ends_at, 0)?);
                        let kind = if o.block_id.is_some() {
                            SegmentKind::Blocked
                        } else {
                            SegmentKind::Taken
                        };
                        Some(Busy {
                            start,
                            end,
                            kind,
                            key: o.booking_id.or(o.block_id),
                        })
                    })
                    .collect();
                let views = rules::day_segments(WINDOW.0, WINDOW.1, hours.on(*date), &busy)
                    .into_iter()
                    .map(|seg| segment_view(actor, seg, &bookings, &blocks))
                    .collect();
                mark_past(
                    views,
                    first_bookable_minute(*date, now, booking_rules.min_notice_minutes),
                )
            })
            .collect();
        out.push(SpaceDays {
            space: line(s, &parents),
            days,
        });
    }
    Ok(Calendar {
        dates: dates.to_vec(),
        from_minute: WINDOW.0,
        to_minute: WINDOW.1,
        spaces: out,
        total_spaces,
    })
}

/// The first minute of `date` (Paris time, on the booking grid) at which a booking may still
/// start, the way [`rules::check_slot`] decides: a slot that has begun is past, and so is one
/// that starts within the space's notice. Negative for a future day, beyond the day for a past one.
pub fn first_bookable_minute(date: NaiveDate, now: DateTime<Utc>, notice_minutes: u32) -> i64 {
    let cutoff = now + Duration::minutes(i64::from(notice_minutes));
    let mut minute = rules::local_minute_of(date, cutoff);
    // A start at `now` itself has already begun; a cutoff inside a minute rounds up.
    if notice_minutes == 0 || cutoff.second() != 0 || cutoff.nanosecond() != 0 {
        minute += 1;
    }
    let step = i64::from(rules::STEP_MINUTES);
    (minute + step - 1).div_euclid(step) * step
}

/// Free time before `bookable_from` shows as past and is offered to nobody; a free stretch
/// that straddles it is cut in two. Other segments keep what they are (a past booking is
/// still somebody's booking).
pub fn mark_past(segments: Vec<SegmentView>, bookable_from: i64) -> Vec<SegmentView> {
    let mut out = Vec::with_capacity(segments.len() + 1);
    for seg in segments {
        if seg.kind != SlotKind::Free || i64::from(seg.start) >= bookable_from {
            out.push(seg);
        } else if i64::from(seg.end) <= bookable_from {
            out.push(SegmentView {
                kind: SlotKind::Past,
                ..seg
            });
        } else {
            // start < bookable_from < end, so the cut fits in a u32.
            let cut = u32::try_from(bookable_from).unwrap_or(seg.start);
            out.push(SegmentView {
                end: cut,
                kind: SlotKind::Past,
                ..seg.clone()
            });
            out.push(SegmentView { start: cut, ..seg });
        }
    }
    out
}

fn segment_view(
    actor: &Actor,
    seg: rules::Segment,
    bookings: &HashMap<i32, booking::Model>,
    blocks: &HashMap<i32, space_block::Model>,
) -> SegmentView {
    let (kind, label, booking_id) = match seg.kind {
        SegmentKind::Free => (SlotKind::Free, None, None),
        SegmentKind::Closed => (SlotKind::Closed, None, None),
        SegmentKind::Blocked => (
            SlotKind::Blocked,
            seg.key
                .and_then(|k| blocks.get(&k))
                .map(|b| b.reason.clone()),
            None,
        ),
        SegmentKind::Taken => match seg.key.and_then(|k| bookings.get(&k)) {
            Some(b) if actor.sees_details(b) => {
                (SlotKind::Visible, Some(b.title.clone()), Some(b.id))
            }
            _ => (SlotKind::Taken, None, None),
        },
    };
    SegmentView {
        start: seg.start,
        end: seg.end,
        kind,
        label,
        booking_id,
    }
}

/// Spaces free for the whole slot, for `attendees` people with `equipment`, that the rules
/// let `actor` book, cheapest first for the actor's organisation.
pub async fn find_free(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organisation_id: Option<i32>,
    slot: &LocalSlot,
    attendees: u32,
    equipment: &[Equipment],
    now: DateTime<Utc>,
) -> Result<Vec<FreeSpace>, BookingError> {
    // What is wrong with the slot itself is said, not silently filtered.
    if slot.end_minute <= slot.start_minute {
        return Err(Violation::EndNotAfterStart.into());
    }
    if !slot.start_minute.is_multiple_of(rules::STEP_MINUTES)
        || !slot.end_minute.is_multiple_of(rules::STEP_MINUTES)
    {
        return Err(Violation::OffStep.into());
    }
    let (start, _) = slot
        .to_utc()
        .map_err(|_| BookingError::Rule(Violation::Nonexistent))?;
    if start <= now {
        return Err(Violation::InThePast.into());
    }
    if attendees == 0 {
        return Err(Violation::NoAttendees.into());
    }
    let org = match organisation_id.or(actor.organisation_id) {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let tier = org.as_ref().map_or(Tier::Outside, |o| o.tier);

    let spaces = bookable_spaces(db).await?;
    let mut equipment_of: HashMap<i32, Vec<Equipment>> = HashMap::new();
    for e in space_equipment::Entity::find().all(db).await? {
        equipment_of
            .entry(e.space_id)
            .or_default()
            .push(e.equipment);
    }
    let children = children_map(db).await?;
    let parents = parent_names(db, &spaces.iter().map(|(s, _, _)| s).collect::<Vec<_>>()).await?;
    let mut used_cache: Option<i64> = None;
    let mut out = Vec::new();
    for (s, r, hours) in &spaces {
        let has = equipment_of.get(&s.id).cloned().unwrap_or_default();
        if i64::from(s.capacity) < i64::from(attendees)
            || !equipment.iter().all(|e| has.contains(e))
        {
            continue;
        }
        let booker = if actor.is_manager() {
            rules::Booker::Manager
        } else {
            rules::Booker::Tenant
        };
        let Ok((start, end)) = rules::check_slot(r, hours, slot, booker, now) else {
            continue;
        };
        let leaves = rules::leaf_spaces(s.id, &children);
        if first_clash(
            db,
            &leaves,
            rules::occupancy(start, end, r.buffer_minutes),
            &[],
        )
        .await?
        .is_some()
        {
            continue;
        }
        let (rates, vat) = rates_for(db, s.id, tier).await?;
        let available = match (&org, r.uses_included_hours) {
            (Some(o), true) => {
                let used = match used_cache {
                    Some(u) => u,
                    None => *used_cache.insert(included_used(db, o.id, slot.date, &[]).await?),
                };
                i64::from(o.included_room_minutes) - used
            }
            _ => 0,
        };
        let Some(price) = rules::price(rules::elapsed_minutes(start, end), &rates, available)
        else {
            continue;
        };
        let mut equipment = has;
        equipment.sort();
        out.push(FreeSpace {
            space: line(s, &parents),
            area_m2: s.area_m2,
            equipment,
            quote: Quote {
                amount_cents: price.amount_cents,
                vat_rate_bp: vat,
                included_minutes: price.included_minutes,
                billable_minutes: price.billable_minutes,
            },
            needs_approval: r.requires_approval && !actor.is_manager(),
        });
    }
    out.sort_by_key(|f| (f.quote.amount_cents, f.space.capacity, f.space.id));
    Ok(out)
}

/// What the screen by a room's door shows: the booking under way and the next one (within a
/// week). Titles only for organisations that allow it.
pub async fn door_display(
    db: &impl ConnectionTrait,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<DoorDisplay>, DbErr> {
    let Some(s) = space::Entity::find()
        .filter(space::Column::Code.eq(code))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !s.bookable {
        return Ok(None);
    }
    let leaves = rules::leaf_spaces(s.id, &children_map(db).await?);
    let horizon = now + Duration::days(7);
    let occupancies = occupancy::Entity::find()
        .filter(occupancy::Column::LeafSpaceId.is_in(leaves))
        .filter(occupancy::Column::StartsAt.lt(horizon.timestamp()))
        .filter(occupancy::Column::EndsAt.gt(now.timestamp()))
        .all(db)
        .await?;
    let block_ids: Vec<i32> = occupancies.iter().filter_map(|o| o.block_id).collect();
    let blocked = if block_ids.is_empty() {
        None
    } else {
        space_block::Entity::find()
            .filter(space_block::Column::Id.is_in(block_ids))
            .filter(space_block::Column::StartsAt.lte(now))
            .filter(space_block::Column::EndsAt.gt(now))
            .one(db)
            .await?
            .map(|b| b.reason)
    };
    let ids: HashSet<i32> = occupancies.iter().filter_map(|o| o.booking_id).collect();
    let mut bookings = if ids.is_empty() {
        Vec::new()
    } else {
        booking::Entity::find()
            .filter(booking::Column::Id.is_in(ids))
            .all(db)
            .await?
    };
    bookings.retain(|b| b.status.is_active() && b.ends_at > now);
    bookings.sort_by_key(|b| b.starts_at);
    let org_ids: HashSet<i32> = bookings.iter().map(|b| b.organisation_id).collect();
    let shows_titles: HashMap<i32, bool> = if org_ids.is_empty() {
        HashMap::new()
    } else {
        organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(org_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.show_titles_on_displays))
            .collect()
    };
    let shown = |b: &booking::Model| {
        let slot = LocalSlot::from_utc(b.starts_at, b.ends_at);
        DisplayBooking {
            start: slot.start_minute,
            end: slot.end_minute,
            date: slot.date,
            title: shows_titles
                .get(&b.organisation_id)
                .copied()
                .unwrap_or(false)
                .then(|| b.title.clone()),
        }
    };
    let current = bookings.iter().find(|b| b.starts_at <= now).map(shown);
    let next = bookings.iter().find(|b| b.starts_at > now).map(shown);
    let local = rules::to_paris(now);
    Ok(Some(DoorDisplay {
        space_name: s.name,
        today: local.date(),
        minute: u32::try_from(rules::local_minute_of(local.date(), now)).unwrap_or(0),
        current,
        next,
        blocked,
    }))
}

/// Booked time over open time, per bookable space, between two dates (the end excluded).
pub async fn utilisation(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<UtilisationRow>, DbErr> {
    let (Ok(from_utc), Ok(until_utc)) =
        (rules::paris_to_utc(from, 0), rules::paris_to_utc(until, 0))
    else {
        return Ok(Vec::new());
    };
    let spaces = bookable_spaces(db).await?;
    let children = children_map(db).await?;
    let parents = parent_names(db, &spaces.iter().map(|(s, _, _)| s).collect::<Vec<_>>()).await?;
    let mut rows = Vec::with_capacity(spaces.len());
    for (s, _, hours) in &spaces {
        let leaves = rules::leaf_spaces(s.id, &children);
        let bookings = super::service::bookings_on_leaves(db, &leaves, from_utc, until_utc).await?;
        let mut spans: Vec<(i64, i64)> = bookings
            .iter()
            .filter(|b| b.status.is_active())
            .map(|b| {
                (
                    b.starts_at.max(from_utc).timestamp(),
                    b.ends_at.min(until_utc).timestamp(),
                )
            })
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort_unstable();
        // The union of the spans: the hall booked while a half is booked counts once.
        let mut booked = 0i64;
        let mut current: Option<(i64, i64)> = None;
        for (a, b) in spans {
            match current {
                Some((ca, cb)) if a <= cb => current = Some((ca, cb.max(b))),
                Some((ca, cb)) => {
                    booked += cb - ca;
                    current = Some((a, b));
                }
                None => current = Some((a, b)),
            }
        }
        if let Some((ca, cb)) = current {
            booked += cb - ca;
        }
        rows.push(UtilisationRow {
            space: line(s, &parents),
            booked_minutes: booked / 60,
            open_minutes: hours.open_minutes(from, until),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(date: NaiveDate, h: u32, m: u32, sec: u32) -> DateTime<Utc> {
        let local = date.and_hms_opt(h, m, sec).unwrap();
        chrono_tz::Europe::Paris
            .from_local_datetime(&local)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }
    use chrono::TimeZone;

    fn free(start: u32, end: u32) -> SegmentView {
        SegmentView {
            start,
            end,
            kind: SlotKind::Free,
            label: None,
            booking_id: None,
        }
    }

    #[test]
    fn at_20_54_the_first_bookable_start_is_21_00_or_after_the_notice() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let now = paris(day, 20, 54, 0);
        assert_eq!(first_bookable_minute(day, now, 0), 21 * 60);
        assert_eq!(first_bookable_minute(day, now, 60), 22 * 60);
        // A start at this very minute has begun; with a notice, the exact cutoff is fine.
        let sharp = paris(day, 21, 0, 0);
        assert_eq!(first_bookable_minute(day, sharp, 0), 21 * 60 + 15);
        assert_eq!(first_bookable_minute(day, sharp, 60), 22 * 60);
        assert_eq!(
            first_bookable_minute(day, paris(day, 21, 0, 1), 60),
            22 * 60 + 15
        );
        // Yesterday is past all day, tomorrow is all ahead.
        let yesterday = day.pred_opt().unwrap();
        assert!(first_bookable_minute(yesterday, now, 0) > i64::from(rules::DAY_MINUTES));
        let tomorrow = day.succ_opt().unwrap();
        assert!(first_bookable_minute(tomorrow, now, 0) < 0);
    }

    #[test]
    fn free_time_before_the_cut_is_past_and_a_straddling_stretch_is_split() {
        let taken = SegmentView {
            kind: SlotKind::Taken,
            ..free(7 * 60, 9 * 60)
        };
        let segments = vec![taken.clone(), free(9 * 60, 20 * 60), free(20 * 60, 23 * 60)];
        let marked = mark_past(segments.clone(), 21 * 60);
        let kinds: Vec<(u32, u32, SlotKind)> =
            marked.iter().map(|s| (s.start, s.end, s.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (7 * 60, 9 * 60, SlotKind::Taken),
                (9 * 60, 20 * 60, SlotKind::Past),
                (20 * 60, 21 * 60, SlotKind::Past),
                (21 * 60, 23 * 60, SlotKind::Free),
            ]
        );
        // A future day is untouched; a past day has no free time left.
        assert_eq!(mark_past(segments.clone(), -30), segments);
        assert!(
            mark_past(segments, 2000)
                .iter()
                .all(|s| s.kind != SlotKind::Free)
        );
    }
}
