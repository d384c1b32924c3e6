//! Reading organisations.
use super::model::{OrganisationOption, Tier};
use crate::entities::organisation;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
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
