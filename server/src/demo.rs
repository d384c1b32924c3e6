//! The demo hub (`seed --demo`), read from `demo/hub.json`. Idempotent: whatever is already
//! there (matched by organisation name, space code or e-mail) is left as it is.
use chrono::Utc;
use coopole_app::auth::model::{Password, Role};
use coopole_app::auth::service::hash_for_seed;
use coopole_app::bookings::model::parse_opening_day;
use coopole_app::db::begin_write;
use coopole_app::entities::{
    event_extra_rate, organisation, space, space_booking_rule, space_equipment, space_opening_hour,
    space_rate, user,
};
use coopole_app::events::model::Extra;
use coopole_app::organisations::model::{LegalForm, Sector, Tier};
use coopole_app::spaces::model::{Equipment, RateUnit, SpaceKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

const HUB_JSON: &str = include_str!("../demo/hub.json");

#[derive(Debug, Deserialize)]
struct Hub {
    password: String,
    vat_rate_bp: i32,
    tier_discount_percent: BTreeMap<Tier, i64>,
    organisations: Vec<Org>,
    accounts: Vec<Account>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    spaces: Vec<SpaceSpec>,
    series: Vec<Series>,
    included_room_hours_per_month: BTreeMap<Tier, i32>,
    booking_defaults: BookingSpec,
    /// Event extras' prices per day, excluding VAT, in cents.
    event_extras: BTreeMap<String, i64>,
}

/// Booking rules in the demo file; a space's entry overrides the defaults it names.
#[derive(Debug, Clone, Default, Deserialize)]
struct BookingSpec {
    min_minutes: Option<i32>,
    max_minutes: Option<i32>,
    buffer_minutes: Option<i32>,
    min_notice_minutes: Option<i32>,
    tenant_max_advance_days: Option<i32>,
    manager_max_advance_days: Option<i32>,
    cancel_deadline_hours: Option<i32>,
    requires_approval: Option<bool>,
    uses_included_hours: Option<bool>,
    opening_hours: Option<Vec<String>>,
}

impl BookingSpec {
    fn over(&self, defaults: &BookingSpec) -> BookingSpec {
        BookingSpec {
            min_minutes: self.min_minutes.or(defaults.min_minutes),
            max_minutes: self.max_minutes.or(defaults.max_minutes),
            buffer_minutes: self.buffer_minutes.or(defaults.buffer_minutes),
            min_notice_minutes: self.min_notice_minutes.or(defaults.min_notice_minutes),
            tenant_max_advance_days: self
                .tenant_max_advance_days
                .or(defaults.tenant_max_advance_days),
            manager_max_advance_days: self
                .manager_max_advance_days
                .or(defaults.manager_max_advance_days),
            cancel_deadline_hours: self
                .cancel_deadline_hours
                .or(defaults.cancel_deadline_hours),
            requires_approval: self.requires_approval.or(defaults.requires_approval),
            uses_included_hours: self.uses_included_hours.or(defaults.uses_included_hours),
            opening_hours: self
                .opening_hours
                .clone()
                .or_else(|| defaults.opening_hours.clone()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Org {
    name: String,
    legal_form: LegalForm,
    sector: Sector,
    headcount: i32,
    tier: Tier,
    address: String,
}

#[derive(Debug, Deserialize)]
struct Account {
    email: String,
    name: String,
    role: Role,
    organisation: Option<String>,
    referent: bool,
}

#[derive(Debug, Deserialize)]
struct SpaceSpec {
    code: String,
    name: String,
    kind: SpaceKind,
    area_m2: i32,
    capacity: i32,
    #[serde(default)]
    parent: Option<String>,
    bookable: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    equipment: Vec<Equipment>,
    /// Outside-organisation prices excluding VAT, in cents.
    #[serde(default)]
    rates: BTreeMap<RateUnit, i64>,
    #[serde(default)]
    booking: BookingSpec,
}

#[derive(Debug, Deserialize)]
struct Series {
    code_prefix: String,
    name_prefix: String,
    kind: SpaceKind,
    equipment: Vec<Equipment>,
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
struct Group {
    count: u32,
    area_m2: i32,
    capacity: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo/hub.json is not valid: {0}")]
    Data(#[from] serde_json::Error),
    #[error("demo/hub.json: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What a seed run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organisations: usize,
    pub spaces: usize,
    pub users: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "demo data: {} organisations, {} spaces and {} users added (what already existed was kept)",
            self.organisations, self.spaces, self.users
        )
    }
}

/// Every space of the demo, the series unrolled ("Bureau 01" … "Bureau 60").
fn all_spaces(hub: &Hub) -> Vec<SpaceSpec> {
    let mut out: Vec<SpaceSpec> = Vec::new();
    for s in &hub.series {
        let mut n = 0;
        for g in &s.groups {
            for _ in 0..g.count {
                n += 1;
                out.push(SpaceSpec {
                    code: format!("{}-{n:02}", s.code_prefix),
                    name: format!("{} {n:02}", s.name_prefix),
                    kind: s.kind,
                    area_m2: g.area_m2,
                    capacity: g.capacity,
                    parent: None,
                    bookable: false,
                    description: String::new(),
                    equipment: s.equipment.clone(),
                    rates: BTreeMap::new(),
                    booking: BookingSpec::default(),
                });
            }
        }
    }
    // Named spaces first: the hall must exist before its halves.
    let mut named: Vec<SpaceSpec> = hub
        .spaces
        .iter()
        .map(|s| SpaceSpec {
            code: s.code.clone(),
            name: s.name.clone(),
            kind: s.kind,
            area_m2: s.area_m2,
            capacity: s.capacity,
            parent: s.parent.clone(),
            bookable: s.bookable,
            description: s.description.clone(),
            equipment: s.equipment.clone(),
            rates: s.rates.clone(),
            booking: s.booking.clone(),
        })
        .collect();
    named.append(&mut out);
    named
}

/// Lower-case ASCII for e-mail addresses: "Léa" → "lea", "Coop'Activités" → "coop-activites".
fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if folded != '-' || !out.ends_with('-') {
            out.push(folded);
        }
    }
    out.trim_matches('-').to_owned()
}

/// A price after the tier's discount, rounded to the cent.
fn tier_price(outside_cents: i64, discount_percent: i64) -> i64 {
    (outside_cents * (100 - discount_percent) + 50) / 100
}

pub async fn seed(db: &DatabaseConnection) -> Result<SeedReport, DemoError> {
    let hub: Hub = serde_json::from_str(HUB_JSON)?;
    let password = Password::parse(&hub.password).map_err(|e| {
        DemoError::Inconsistent(format!("the demo password is refused by the policy: {e:?}"))
    })?;
    // One hash for every demo account: they share the demo password anyway.
    let password_hash = hash_for_seed(&password)
        .await
        .map_err(|e| DemoError::Inconsistent(e.to_string()))?;
    let now = Utc::now();
    let mut report = SeedReport::default();

    let txn = begin_write(db).await?;

    let mut org_ids: HashMap<String, i32> = HashMap::new();
    for o in &hub.organisations {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(&o.name))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                report.organisations += 1;
                organisation::ActiveModel {
                    name: Set(o.name.clone()),
                    legal_form: Set(o.legal_form),
                    sector: Set(o.sector),
                    headcount: Set(o.headcount),
                    tier: Set(o.tier),
                    siret: Set(None),
                    address: Set(Some(o.address.clone())),
                    created_at: Set(now),
                    included_room_minutes: Set(hub
                        .included_room_hours_per_month
                        .get(&o.tier)
                        .copied()
                        .unwrap_or(0)
                        * 60),
                    // Residents show their meeting titles on the door displays; others do not.
                    show_titles_on_displays: Set(o.tier == Tier::Resident),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        org_ids.insert(o.name.clone(), id);
    }

    let mut space_ids: HashMap<String, i32> = HashMap::new();
    for s in all_spaces(&hub) {
        if let Some(row) = space::Entity::find()
            .filter(space::Column::Code.eq(&s.code))
            .one(&txn)
            .await?
        {
            space_ids.insert(s.code.clone(), row.id);
            if row.bookable {
                seed_booking_rules(&txn, row.id, &s.booking.over(&hub.booking_defaults)).await?;
            }
            continue;
        }
        let parent_id = match &s.parent {
            Some(code) => Some(*space_ids.get(code).ok_or_else(|| {
                DemoError::Inconsistent(format!("{} is part of unknown space {code}", s.code))
            })?),
            None => None,
        };
        report.spaces += 1;
        let id = space::ActiveModel {
            code: Set(s.code.clone()),
            name: Set(s.name.clone()),
            kind: Set(s.kind),
            area_m2: Set(s.area_m2),
            capacity: Set(s.capacity),
            parent_id: Set(parent_id),
            description: Set(s.description.clone()),
            bookable: Set(s.bookable),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?
        .id;
        space_ids.insert(s.code.clone(), id);
        for item in &s.equipment {
            space_equipment::ActiveModel {
                space_id: Set(id),
                equipment: Set(*item),
            }
            .insert(&txn)
            .await?;
        }
        if s.bookable {
            seed_booking_rules(&txn, id, &s.booking.over(&hub.booking_defaults)).await?;
        }
        for (unit, outside) in &s.rates {
            for (tier, discount) in &hub.tier_discount_percent {
                space_rate::ActiveModel {
                    space_id: Set(id),
                    tier: Set(*tier),
                    unit: Set(*unit),
                    amount_cents: Set(tier_price(*outside, *discount)),
                    vat_rate_bp: Set(hub.vat_rate_bp),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }

    for (code, cents) in &hub.event_extras {
        if Extra::from_code(code).is_none() {
            return Err(DemoError::Inconsistent(format!(
                "unknown event extra {code}"
            )));
        }
        if event_extra_rate::Entity::find_by_id(code.clone())
            .one(&txn)
            .await?
            .is_none()
        {
            event_extra_rate::ActiveModel {
                code: Set(code.clone()),
                amount_cents: Set(*cents),
                vat_bp: Set(hub.vat_rate_bp),
            }
            .insert(&txn)
            .await?;
        }
    }

    let mut people = Vec::new();
    for a in &hub.accounts {
        let org = match &a.organisation {
            Some(name) => Some(*org_ids.get(name).ok_or_else(|| {
                DemoError::Inconsistent(format!("{} belongs to unknown {name}", a.email))
            })?),
            None => None,
        };
        people.push((a.email.clone(), a.name.clone(), a.role, org, a.referent));
    }
    // Members of the hosted and network organisations: one for every five staff, one to four.
    let mut n = 0usize;
    for o in hub.organisations.iter().filter(|o| o.tier != Tier::Outside) {
        let Some(&org_id) = org_ids.get(&o.name) else {
            continue;
        };
        let has_demo_referent = hub
            .accounts
            .iter()
            .any(|a| a.referent && a.organisation.as_deref() == Some(&o.name));
        let members = (o.headcount / 5).clamp(1, 4);
        for i in 0..members {
            let first = &hub.first_names[n % hub.first_names.len()];
            let last = &hub.last_names[(n * 7 + 3) % hub.last_names.len()];
            n += 1;
            let email = format!(
                "{}.{}@{}.example",
                ascii_slug(first),
                ascii_slug(last),
                ascii_slug(&o.name)
            );
            let referent = i == 0 && !has_demo_referent && o.tier == Tier::Resident;
            people.push((
                email,
                format!("{first} {last}"),
                Role::Tenant,
                Some(org_id),
                referent,
            ));
        }
    }

    for (email, name, role, org, referent) in people {
        if user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?
            .is_some()
        {
            continue;
        }
        // A referent chosen since the last seed keeps the role.
        let referent = referent && !has_referent(&txn, org).await?;
        report.users += 1;
        user::ActiveModel {
            email: Set(email),
            name: Set(name),
            password_hash: Set(password_hash.clone()),
            role: Set(role),
            organisation_id: Set(org),
            is_referent: Set(referent),
            created_at: Set(now),
            password_changed_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }

    txn.commit().await?;
    Ok(report)
}

/// A bookable space's rules and opening hours, unless it has some already.
async fn seed_booking_rules(
    db: &impl ConnectionTrait,
    space_id: i32,
    spec: &BookingSpec,
) -> Result<(), DemoError> {
    if space_booking_rule::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .is_none()
    {
        let missing =
            |what: &str| DemoError::Inconsistent(format!("booking_defaults lacks {what}"));
        space_booking_rule::ActiveModel {
            space_id: Set(space_id),
            min_minutes: Set(spec.min_minutes.ok_or_else(|| missing("min_minutes"))?),
            max_minutes: Set(spec.max_minutes.ok_or_else(|| missing("max_minutes"))?),
            buffer_minutes: Set(spec
                .buffer_minutes
                .ok_or_else(|| missing("buffer_minutes"))?),
            min_notice_minutes: Set(spec
                .min_notice_minutes
                .ok_or_else(|| missing("min_notice_minutes"))?),
            tenant_max_advance_days: Set(spec
                .tenant_max_advance_days
                .ok_or_else(|| missing("tenant_max_advance_days"))?),
            manager_max_advance_days: Set(spec
                .manager_max_advance_days
                .ok_or_else(|| missing("manager_max_advance_days"))?),
            cancel_deadline_hours: Set(spec
                .cancel_deadline_hours
                .ok_or_else(|| missing("cancel_deadline_hours"))?),
            requires_approval: Set(spec
                .requires_approval
                .ok_or_else(|| missing("requires_approval"))?),
            uses_included_hours: Set(spec
                .uses_included_hours
                .ok_or_else(|| missing("uses_included_hours"))?),
        }
        .insert(db)
        .await?;
    }
    let has_hours = space_opening_hour::Entity::find()
        .filter(space_opening_hour::Column::SpaceId.eq(space_id))
        .one(db)
        .await?
        .is_some();
    if !has_hours {
        for (day, line) in spec.opening_hours.iter().flatten().enumerate() {
            let intervals = parse_opening_day(line, day).map_err(|_| {
                DemoError::Inconsistent(format!("opening hours {line:?} of space {space_id}"))
            })?;
            for (open, close) in intervals {
                space_opening_hour::ActiveModel {
                    space_id: Set(space_id),
                    weekday: Set(i16::try_from(day).unwrap_or(0)),
                    opens_minute: Set(i32::try_from(open).unwrap_or(0)),
                    closes_minute: Set(i32::try_from(close).unwrap_or(0)),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// Whether the hub has no spaces yet (a database just created).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(space::Entity::find().count(db).await? == 0)
}

async fn has_referent(db: &impl ConnectionTrait, org: Option<i32>) -> Result<bool, DbErr> {
    let Some(org) = org else { return Ok(false) };
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::IsReferent.eq(true))
        .one(db)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_matches_the_hub() {
        let hub: Hub = serde_json::from_str(HUB_JSON).unwrap();
        let spaces = all_spaces(&hub);
        let count = |k: SpaceKind| spaces.iter().filter(|s| s.kind == k).count();
        let area = |k: SpaceKind| {
            spaces
                .iter()
                .filter(|s| s.kind == k && s.parent.is_none())
                .map(|s| s.area_m2)
                .sum::<i32>()
        };
        assert_eq!(count(SpaceKind::Office), 60);
        assert_eq!(count(SpaceKind::Desk), 44);
        assert_eq!(area(SpaceKind::Office) + area(SpaceKind::Desk), 1_650);
        assert_eq!(count(SpaceKind::Storage), 20);
        assert_eq!(
            area(SpaceKind::Hall) + area(SpaceKind::Canteen) + area(SpaceKind::MeetingRoom),
            1_200
        );
        assert_eq!(area(SpaceKind::Shop), 470);
        let halves: Vec<_> = spaces
            .iter()
            .filter(|s| s.parent.as_deref() == Some("HALLE"))
            .collect();
        assert_eq!(halves.len(), 2);
        assert!(halves.iter().all(|h| h.area_m2 == 450));
        assert!((35..=45).contains(&hub.organisations.len()));
        assert!(Password::parse(&hub.password).is_ok());
    }

    #[test]
    fn tiers_are_cheaper_for_residents() {
        assert_eq!(tier_price(10_000, 30), 7_000);
        assert_eq!(tier_price(5_500, 15), 4_675);
        assert_eq!(tier_price(5_555, 30), 3_889);
        assert_eq!(tier_price(12_345, 0), 12_345);
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            ascii_slug("Coop'Activités Atlantique"),
            "coop-activites-atlantique"
        );
        assert_eq!(ascii_slug("Atelier Bois & Paille"), "atelier-bois-paille");
        assert_eq!(ascii_slug("Léa"), "lea");
    }
}
