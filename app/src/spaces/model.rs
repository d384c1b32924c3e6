//! The hub's spaces as pages and forms see them.
use crate::organisations::model::Tier;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum SpaceKind {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "office"))]
    Office,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "desk"))]
    Desk,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "storage"))]
    Storage,
    /// The multipurpose hall and its parts.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "hall"))]
    Hall,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "canteen"))]
    Canteen,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "meeting_room"))]
    MeetingRoom,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shop"))]
    Shop,
}

impl SpaceKind {
    pub const ALL: [SpaceKind; 7] = [
        SpaceKind::MeetingRoom,
        SpaceKind::Hall,
        SpaceKind::Canteen,
        SpaceKind::Office,
        SpaceKind::Desk,
        SpaceKind::Storage,
        SpaceKind::Shop,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SpaceKind::Office => "office",
            SpaceKind::Desk => "desk",
            SpaceKind::Storage => "storage",
            SpaceKind::Hall => "hall",
            SpaceKind::Canteen => "canteen",
            SpaceKind::MeetingRoom => "meeting_room",
            SpaceKind::Shop => "shop",
        }
    }

    pub fn from_code(code: &str) -> Option<SpaceKind> {
        SpaceKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum Equipment {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "projector"))]
    Projector,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "screen"))]
    Screen,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sound_system"))]
    SoundSystem,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "microphones"))]
    Microphones,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "videoconference"))]
    Videoconference,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "whiteboard"))]
    Whiteboard,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "wifi"))]
    Wifi,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "stage"))]
    Stage,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "kitchen"))]
    Kitchen,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "step_free_access"))]
    StepFreeAccess,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "furnished"))]
    Furnished,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shelving"))]
    Shelving,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "lockable"))]
    Lockable,
}

impl Equipment {
    pub const ALL: [Equipment; 13] = [
        Equipment::Projector,
        Equipment::Screen,
        Equipment::SoundSystem,
        Equipment::Microphones,
        Equipment::Videoconference,
        Equipment::Whiteboard,
        Equipment::Wifi,
        Equipment::Stage,
        Equipment::Kitchen,
        Equipment::StepFreeAccess,
        Equipment::Furnished,
        Equipment::Shelving,
        Equipment::Lockable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Equipment::Projector => "projector",
            Equipment::Screen => "screen",
            Equipment::SoundSystem => "sound_system",
            Equipment::Microphones => "microphones",
            Equipment::Videoconference => "videoconference",
            Equipment::Whiteboard => "whiteboard",
            Equipment::Wifi => "wifi",
            Equipment::Stage => "stage",
            Equipment::Kitchen => "kitchen",
            Equipment::StepFreeAccess => "step_free_access",
            Equipment::Furnished => "furnished",
            Equipment::Shelving => "shelving",
            Equipment::Lockable => "lockable",
        }
    }

    pub fn from_code(code: &str) -> Option<Equipment> {
        Equipment::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// What a rate is charged per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "hour"))]
    Hour,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "half_day"))]
    HalfDay,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "day"))]
    Day,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "evening"))]
    Evening,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "weekend"))]
    Weekend,
}

impl RateUnit {
    pub const ALL: [RateUnit; 5] = [
        RateUnit::Hour,
        RateUnit::HalfDay,
        RateUnit::Day,
        RateUnit::Evening,
        RateUnit::Weekend,
    ];
}

/// A space named in another space's page (its parts, or what it is part of).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceRef {
    pub id: i32,
    pub name: String,
    pub area_m2: i32,
    pub capacity: i32,
}

/// One line of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceCard {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: SpaceKind,
    pub area_m2: i32,
    pub capacity: i32,
    pub bookable: bool,
    pub part_of: Option<String>,
    pub equipment: Vec<Equipment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub tier: Tier,
    pub unit: RateUnit,
    /// Excluding VAT, in euro cents.
    pub amount_cents: i64,
    /// In basis points: 2000 is 20 %.
    pub vat_rate_bp: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDetail {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: SpaceKind,
    pub area_m2: i32,
    pub capacity: i32,
    pub description: String,
    pub bookable: bool,
    pub part_of: Option<SpaceRef>,
    pub parts: Vec<SpaceRef>,
    pub equipment: Vec<Equipment>,
    pub rates: Vec<Rate>,
}

impl SpaceDetail {
    pub fn rate(&self, tier: Tier, unit: RateUnit) -> Option<&Rate> {
        self.rates.iter().find(|r| r.tier == tier && r.unit == unit)
    }

    /// The units this space has at least one rate for, in display order.
    pub fn rate_units(&self) -> Vec<RateUnit> {
        RateUnit::ALL
            .into_iter()
            .filter(|u| self.rates.iter().any(|r| r.unit == *u))
            .collect()
    }
}

/// The catalogue's filters, as they arrive from the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    pub kind: String,
    pub min_capacity: String,
    pub min_area: String,
    pub max_area: String,
}

/// The catalogue's filters once parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatalogueFilter {
    pub kind: Option<SpaceKind>,
    pub min_capacity: Option<i32>,
    pub min_area: Option<i32>,
    pub max_area: Option<i32>,
}

/// Which filter was refused, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterError {
    KindUnknown,
    NotAWholeNumber(&'static str),
    AreaRangeInverted,
}

impl FilterError {
    pub fn field(self) -> &'static str {
        match self {
            FilterError::KindUnknown => "kind",
            FilterError::NotAWholeNumber(field) => field,
            FilterError::AreaRangeInverted => "max_area",
        }
    }
}

/// Bounds that no real space reaches; beyond them a number is a typing mistake.
const MAX_FILTER_NUMBER: i32 = 100_000;

fn parse_bound(raw: &str, field: &'static str) -> Result<Option<i32>, FilterError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(n) if (0..=MAX_FILTER_NUMBER).contains(&n) => Ok(Some(n)),
        _ => Err(FilterError::NotAWholeNumber(field)),
    }
}

impl CatalogueQuery {
    pub fn parse(&self) -> Result<CatalogueFilter, FilterError> {
        let kind = match self.kind.trim() {
            "" => None,
            code => Some(SpaceKind::from_code(code).ok_or(FilterError::KindUnknown)?),
        };
        let filter = CatalogueFilter {
            kind,
            min_capacity: parse_bound(&self.min_capacity, "min_capacity")?,
            min_area: parse_bound(&self.min_area, "min_area")?,
            max_area: parse_bound(&self.max_area, "max_area")?,
        };
        if let (Some(min), Some(max)) = (filter.min_area, filter.max_area)
            && min > max
        {
            return Err(FilterError::AreaRangeInverted);
        }
        Ok(filter)
    }
}

impl CatalogueFilter {
    /// Whether a space passes the filter; the catalogue applies it to the spaces it keeps.
    pub fn admits(&self, kind: SpaceKind, capacity: i32, area_m2: i32) -> bool {
        self.kind.is_none_or(|k| k == kind)
            && self.min_capacity.is_none_or(|c| capacity >= c)
            && self.min_area.is_none_or(|a| area_m2 >= a)
            && self.max_area.is_none_or(|a| area_m2 <= a)
    }
}

/// A space id from a URL segment.
pub fn parse_space_id(raw: &str) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(kind: &str, min_capacity: &str, min_area: &str, max_area: &str) -> CatalogueQuery {
        CatalogueQuery {
            kind: kind.into(),
            min_capacity: min_capacity.into(),
            min_area: min_area.into(),
            max_area: max_area.into(),
        }
    }

    #[test]
    fn an_empty_query_filters_nothing() {
        assert_eq!(
            CatalogueQuery::default().parse(),
            Ok(CatalogueFilter::default())
        );
    }

    #[test]
    fn filters_are_parsed() {
        let filter = query("hall", " 50 ", "100", "900").parse();
        assert_eq!(
            filter,
            Ok(CatalogueFilter {
                kind: Some(SpaceKind::Hall),
                min_capacity: Some(50),
                min_area: Some(100),
                max_area: Some(900)
            })
        );
    }

    #[test]
    fn bad_filters_name_their_field() {
        assert_eq!(
            query("castle", "", "", "").parse(),
            Err(FilterError::KindUnknown)
        );
        assert_eq!(
            query("", "douze", "", "").parse(),
            Err(FilterError::NotAWholeNumber("min_capacity"))
        );
        assert_eq!(
            query("", "-3", "", "").parse(),
            Err(FilterError::NotAWholeNumber("min_capacity"))
        );
        assert_eq!(
            query("", "", "1e9", "").parse(),
            Err(FilterError::NotAWholeNumber("min_area"))
        );
        assert_eq!(
            query("", "", "", "99999999999").parse(),
            Err(FilterError::NotAWholeNumber("max_area"))
        );
        assert_eq!(
            query("", "", "500", "100").parse(),
            Err(FilterError::AreaRangeInverted)
        );
    }

    #[test]
    fn admits_applies_every_bound() {
        let filter = CatalogueFilter {
            kind: None,
            min_capacity: Some(50),
            min_area: None,
            max_area: Some(500),
        };
        assert!(filter.admits(SpaceKind::Hall, 400, 450));
        assert!(filter.admits(SpaceKind::Hall, 50, 500));
        assert!(!filter.admits(SpaceKind::Hall, 800, 900));
        assert!(!filter.admits(SpaceKind::MeetingRoom, 12, 38));
    }

    #[test]
    fn kind_codes_round_trip() {
        for kind in SpaceKind::ALL {
            assert_eq!(SpaceKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn equipment_codes_round_trip() {
        for item in Equipment::ALL {
            assert_eq!(Equipment::from_code(item.code()), Some(item));
        }
    }

    #[test]
    fn space_ids_come_from_urls() {
        assert_eq!(parse_space_id("12"), Some(12));
        assert_eq!(parse_space_id("0"), None);
        assert_eq!(parse_space_id("abc"), None);
        assert_eq!(parse_space_id("-4"), None);
    }
}
