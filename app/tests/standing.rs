//! A person's standing and what it lets them see, on a demo town's year: the read models'
//! own facts pick the people, the standing is checked against them.

use app::{App, Config};
use chrono::NaiveDate;
use std::collections::BTreeSet;

use domain::ids::{AssociationId, PersonId};
use domain::values::{AssociationRole, BodyKind, Level};
use projections::snapshot::{Needs, Snapshot};
use store::testing::TestDatabase;
use store::{Backend, TimePoint};

async fn standing_follows_offices_roles_and_memberships(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let app = App::new(Config {
        db: db.url.clone(),
        profiles: None,
        clock: Some("2026-03-02".into()),
    });
    app.init().await.expect("init");
    let spec = demo::DemoSpec {
        profile: "novokuznetsk".into(),
        scale: demo::Scale::Small,
        years: 1,
        seed: 2,
    };
    app.demo(spec, &|_, _| {}, &|_, _| {}).await.expect("demo");
    let on = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let store = app.store().await.expect("store");
    let at = TimePoint {
        as_of: on,
        known_at: None,
    };
    let needs = Needs {
        registry: true,
        roles: true,
        memberships: true,
        ..Needs::default()
    };
    let town = Snapshot::load(store.as_ref(), at, needs)
        .await
        .expect("snapshot");

    // an official of the department oversees the whole municipality
    let official = town
        .officials
        .iter()
        .find(|o| o.body_kind == BodyKind::Department)
        .expect("a department official");
    let standing = app.standing(official.person, on).await.expect("standing");
    assert!(standing.oversees_municipality());
    for association in town.associations.keys() {
        assert!(standing.sees_association(association));
    }

    // the head of a city association sees it and the district associations linked to it,
    // and not the associations of other subjects
    let city_head = town
        .roles
        .values()
        .find(|r| {
            r.role == AssociationRole::Head
                && town.associations[&r.association].level == Level::City
                && town
                    .associations
                    .values()
                    .any(|a| a.city_association == Some(r.association))
        })
        .expect("a city head with district associations");
    let standing = app.standing(city_head.person, on).await.expect("standing");
    assert!(standing
        .roles
        .contains(&(city_head.association, AssociationRole::Head)));
    let subject = &town.associations[&city_head.association].subject;
    for a in town.associations.values() {
        if a.association == city_head.association
            || a.city_association == Some(city_head.association)
        {
            assert!(standing.sees_association(&a.association), "{}", a.title);
        }
    }
    if !standing.oversees_municipality() {
        let unrelated = town
            .associations
            .values()
            .find(|a| {
                &a.subject != subject
                    && !standing.memberships.contains(&a.association)
                    && !standing.roles.iter().any(|(x, _)| *x == a.association)
            })
            .expect("an association of another subject");
        assert!(
            !standing.sees_association(&unrelated.association),
            "{}",
            unrelated.title
        );
    }

    // a member sees the associations they belong to
    let (association, members) = town
        .members
        .iter()
        .find(|(_, members)| !members.is_empty())
        .expect("an association with members");
    let member = members[0];
    let standing = app.standing(member, on).await.expect("standing");
    assert!(standing.memberships.contains(association));
    assert!(standing.sees_association(association));

    // A standing reads only its person's rows; for everyone with an office, a role or a
    // membership it holds exactly what the whole town's facts say of them.
    let mut people: BTreeSet<PersonId> = town.officials.iter().map(|o| o.person).collect();
    people.extend(town.roles.values().map(|r| r.person));
    people.extend(town.members.values().flatten().copied());
    assert!(people.len() > 50, "{} people", people.len());
    for person in people {
        let standing = app.standing(person, on).await.expect("standing");
        let offices: BTreeSet<BodyKind> = town
            .officials
            .iter()
            .filter(|o| o.person == person)
            .map(|o| o.body_kind)
            .collect();
        let roles: BTreeSet<(AssociationId, AssociationRole)> = town
            .roles
            .values()
            .filter(|r| r.person == person)
            .map(|r| (r.association, r.role))
            .collect();
        let memberships: BTreeSet<AssociationId> = town
            .members
            .iter()
            .filter(|(_, members)| members.contains(&person))
            .map(|(association, _)| *association)
            .collect();
        assert_eq!(standing.offices, offices, "{person}");
        assert_eq!(standing.roles, roles, "{person}");
        assert_eq!(standing.memberships, memberships, "{person}");
    }
}

store::on_every_backend!(standing_follows_offices_roles_and_memberships);
