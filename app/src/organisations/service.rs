//! Organisations and their settings.
use super::model::{OrganisationOption, OrganisationSettings, Tier};
use crate::entities::organisation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

/// Every organisation, by name, for the managers' forms.
pub async fn options(db: &impl ConnectionTrait) -> Result<Vec<OrganisationOption>, DbErr> {
    let rows = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| OrganisationOption {
            id: o.id,
            name: o.name,
            tier: o.tier,
        })
        .collect())
}

/// How many organisations the hub hosts (its residents).
pub async fn count_hosted(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    organisation::Entity::find()
        .filter(organisation::Column::Tier.eq(Tier::Resident))
        .count(db)
        .await
}

fn settings_of(o: organisation::Model) -> OrganisationSettings {
    OrganisationSettings {
        id: o.id,
        name: o.name,
        legal_form: o.legal_form,
        sector: o.sector,
        tier: o.tier,
        headcount: o.headcount,
        included_room_minutes: o.included_room_minutes,
        show_titles_on_displays: o.show_titles_on_displays,
    }
}

/// Every organisation with its settings, by name.
pub async fn settings(db: &impl ConnectionTrait) -> Result<Vec<OrganisationSettings>, DbErr> {
    let rows = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(settings_of).collect())
}

pub async fn settings_of_one(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<OrganisationSettings>, DbErr> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(settings_of))
}

/// Changes what a lease includes (managers) and whether door displays show titles.
/// `None` leaves a setting as it is.
pub async fn update_settings(
    db: &impl ConnectionTrait,
    id: i32,
    included_room_minutes: Option<i32>,
    show_titles_on_displays: Option<bool>,
) -> Result<Option<OrganisationSettings>, DbErr> {
    let Some(org) = organisation::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut active: organisation::ActiveModel = org.into();
    if let Some(minutes) = included_room_minutes {
        active.included_room_minutes = Set(minutes);
    }
    if let Some(show) = show_titles_on_displays {
        active.show_titles_on_displays = Set(show);
    }
    Ok(Some(settings_of(active.update(db).await?)))
}
