//! The towns the scenarios share: the registries of Novokuznetsk (000), Kuznetsk (001),
//! Izhevsk (002) and Novosibirsk (003), the people of Novokuznetsk by key, and its mathematics associations —
//! built here once instead of in every test file that walks them.

use chrono::NaiveDate;
use domain::commands::LinkDistrictAssociation;
use domain::events::CouncilReview;
use domain::ids::{AssociationId, OrderId};
use domain::values::{BodyKind, CategoryLevel, Level, Office, OrganizationKind, PositionKind};
use domain::Command;
use store::Backend;

use super::{date, Town};

/// The people of Novokuznetsk the scenarios share, by key: full name (which the log must
/// never hold in clear), organization, position, the year their specialty began, whether
/// they hold the highest category (granted on the day `highest_granted` gives), and the office they hold
/// in a body, if any.
#[allow(clippy::type_complexity)]
const NOVOKUZNETSK_PEOPLE: [(
    &str,
    &str,
    &str,
    PositionKind,
    i32,
    bool,
    Option<(&str, Office)>,
); 9] = [
    (
        "deputy",
        "Соколова Анна Петровна",
        "koin",
        PositionKind::Official,
        2000,
        false,
        Some(("koin", Office::DeputyChief)),
    ),
    (
        "specialist",
        "Гришина Вера Олеговна",
        "koin",
        PositionKind::Official,
        2010,
        false,
        Some(("koin", Office::Specialist)),
    ),
    (
        "omc",
        "Фролов Пётр Ильич",
        "koin",
        PositionKind::Methodist,
        2000,
        false,
        Some(("omc", Office::CouncilMember)),
    ),
    (
        "a1",
        "Иванова Мария Сергеевна",
        "school-1",
        PositionKind::Teacher,
        2005,
        true,
        None,
    ),
    (
        "a2",
        "Петров Олег Иванович",
        "school-1",
        PositionKind::Teacher,
        2018,
        false,
        None,
    ),
    (
        "a3",
        "Кузнецова Елена Викторовна",
        "school-1",
        PositionKind::Teacher,
        2021,
        false,
        None,
    ),
    (
        "b1",
        "Смирнов Павел Андреевич",
        "school-2",
        PositionKind::Teacher,
        2003,
        true,
        None,
    ),
    (
        "b2",
        "Орлова Ирина Николаевна",
        "school-2",
        PositionKind::Teacher,
        2015,
        false,
        None,
    ),
    (
        "p1",
        "Ковалёв Игорь Дмитриевич",
        "school-2",
        PositionKind::Teacher,
        2001,
        true,
        None,
    ),
];

/// The day the highest category of Novokuznetsk's people was granted.
fn highest_granted() -> NaiveDate {
    date(2020, 12, 1)
}

/// Novokuznetsk's mathematics associations: the city one and one per district, each
/// district one linked to the city one; `list` is KOiN's order that created the city one.
pub struct MathAssociations {
    pub list: OrderId,
    pub city: AssociationId,
    pub central: AssociationId,
    pub zavodskoy: AssociationId,
}

impl Town {
    /// Novokuznetsk (000) with its registry: two districts (`central`, `zavodskoy`), KOiN
    /// (organization and department body `koin`), a school in each district (`school-1`,
    /// `school-2`), the two district departments (`rono-central`, `rono-zavodskoy`) and the
    /// Coordination council (`coordination`).
    pub async fn novokuznetsk(backend: Backend) -> Town {
        let mut town = Town::new(backend, "novokuznetsk", "Новокузнецкий городской округ").await;
        town.district("central", "Центральный район").await;
        town.district("zavodskoy", "Заводской район").await;
        town.organization_in(
            "koin",
            "Комитет образования и науки",
            OrganizationKind::MunicipalInstitution,
            None,
        )
        .await;
        town.organization_in(
            "school-1",
            "МБОУ «СОШ № 1»",
            OrganizationKind::School,
            Some("central"),
        )
        .await;
        town.organization_in(
            "school-2",
            "МБОУ «СОШ № 2»",
            OrganizationKind::School,
            Some("zavodskoy"),
        )
        .await;
        town.body_of(
            "koin",
            BodyKind::Department,
            "КОиН администрации г. Новокузнецка",
            None,
            None,
        )
        .await;
        town.body_of(
            "rono-central",
            BodyKind::DistrictDepartment,
            "Отдел образования Центрального района",
            Some("central"),
            None,
        )
        .await;
        town.body_of(
            "rono-zavodskoy",
            BodyKind::DistrictDepartment,
            "Отдел образования Заводского района",
            Some("zavodskoy"),
            None,
        )
        .await;
        town.body_of(
            "coordination",
            BodyKind::CoordinationCouncil,
            "Координационный совет ММС",
            None,
            None,
        )
        .await;
        town
    }

    /// Novosibirsk (003) with its registry: the Lenin district (`lenin`), the curating
    /// institution НИСО (organization and body `niso`), a gymnasium in the district
    /// (`gymnasium`) and the department (`department`).
    pub async fn novosibirsk(backend: Backend) -> Town {
        let mut town = Town::new(backend, "novosibirsk", "Город Новосибирск").await;
        town.district("lenin", "Ленинский район").await;
        town.organization_in(
            "niso",
            "МАУ ДПО «НИСО»",
            OrganizationKind::MunicipalInstitution,
            None,
        )
        .await;
        town.organization_in(
            "gymnasium",
            "МБОУ «Гимназия № 1»",
            OrganizationKind::School,
            Some("lenin"),
        )
        .await;
        town.body_of(
            "department",
            BodyKind::Department,
            "Департамент образования мэрии города Новосибирска",
            None,
            None,
        )
        .await;
        town.body_of(
            "niso",
            BodyKind::CuratingInstitution,
            "МАУ ДПО «НИСО»",
            None,
            Some("niso"),
        )
        .await;
        town
    }

    /// Kuznetsk (001) with its registry: the department (organization and body `uo`) and a
    /// school (`school-5`).
    pub async fn kuznetsk(backend: Backend) -> Town {
        let mut town = Town::new(backend, "kuznetsk", "Город Кузнецк").await;
        town.organization_in(
            "uo",
            "Управление образования города Кузнецка",
            OrganizationKind::MunicipalInstitution,
            None,
        )
        .await;
        town.organization_in("school-5", "МБОУ СОШ № 5", OrganizationKind::School, None)
            .await;
        town.body_of(
            "uo",
            BodyKind::Department,
            "Управление образования города Кузнецка",
            None,
            None,
        )
        .await;
        town
    }

    /// Izhevsk (002) with its registry: the Center «Альтернатива» (an organization, and the
    /// methodical center `center` with its Methodical council `council`), two schools
    /// (`lyceum`, `school-90`) and the department (body `uo`).
    pub async fn izhevsk(backend: Backend) -> Town {
        let mut town = Town::new(backend, "izhevsk", "Город Ижевск").await;
        town.organization_in(
            "alternativa",
            "МАУ ИМЦ «Альтернатива»",
            OrganizationKind::MunicipalInstitution,
            None,
        )
        .await;
        for (key, title) in [
            ("lyceum", "МБОУ «Лицей № 29»"),
            ("school-90", "МБОУ «СОШ № 90»"),
        ] {
            town.organization_in(key, title, OrganizationKind::School, None)
                .await;
        }
        town.body_of(
            "uo",
            BodyKind::Department,
            "Управление образования Администрации города Ижевска",
            None,
            None,
        )
        .await;
        town.body_of(
            "center",
            BodyKind::MethodicalCenter,
            "МАУ ИМЦ «Альтернатива»",
            None,
            Some("alternativa"),
        )
        .await;
        town.body_of(
            "council",
            BodyKind::MethodicalCouncil,
            "Методический совет Центра",
            None,
            None,
        )
        .await;
        town
    }

    /// Registers the people of Novokuznetsk named by `keys`, in that order, each in the
    /// office the cast gives them (the body must exist: `omc` is established by the tests
    /// that need the organizational-methodical council).
    pub async fn people(&mut self, keys: &[&'static str]) {
        for key in keys {
            let (_, full_name, organization, position, since, highest, office) =
                NOVOKUZNETSK_PEOPLE
                    .iter()
                    .find(|p| p.0 == *key)
                    .unwrap_or_else(|| panic!("no {key} among the people of Novokuznetsk"));
            let category = highest.then(|| (CategoryLevel::Highest, highest_granted()));
            self.teacher(
                key,
                full_name,
                organization,
                *position,
                category,
                date(*since, 9, 1),
            )
            .await;
            if let Some((body, office)) = office {
                self.official(key, body, *office).await;
            }
        }
    }

    /// Novokuznetsk's mathematics associations (000 §1.4, §7.4): the city one by KOiN's order
    /// No 1201 of 26 Aug 2024 after the Coordination council's review of 20 Aug, a district
    /// one by each district department's order of 27 Aug, both linked to the city one on
    /// 28 Aug.
    pub async fn math_associations(&mut self) -> MathAssociations {
        let list = self
            .order(
                "koin",
                "1201",
                date(2024, 8, 26),
                "Об утверждении перечня ГПМО",
            )
            .await;
        self.creation_review = Some(CouncilReview {
            council: self.body("coordination"),
            protocol_number: "1".into(),
            date: date(2024, 8, 20),
        });
        let city = self
            .association(
                "math-city",
                "ГПМО учителей математики",
                "математика",
                Level::City,
                None,
                None,
                list,
            )
            .await;
        let mut districts = Vec::new();
        for (key, title, district, department, number) in [
            (
                "math-central",
                "РПМО учителей математики Центрального района",
                "central",
                "rono-central",
                "40",
            ),
            (
                "math-zavodskoy",
                "РПМО учителей математики Заводского района",
                "zavodskoy",
                "rono-zavodskoy",
                "61",
            ),
        ] {
            let order = self
                .order(
                    department,
                    number,
                    date(2024, 8, 27),
                    "Об утверждении перечня РПМО",
                )
                .await;
            let association = self
                .association(
                    key,
                    title,
                    "математика",
                    Level::District,
                    Some(district),
                    None,
                    order,
                )
                .await;
            districts.push(association);
        }
        for &district_association in &districts {
            self.op(
                date(2024, 8, 28),
                Command::LinkDistrictAssociation(LinkDistrictAssociation {
                    city_association: city,
                    district_association,
                }),
            )
            .await;
        }
        MathAssociations {
            list,
            city,
            central: districts[0],
            zavodskoy: districts[1],
        }
    }
}
