//! The REST API's wire types for cases, their subjects and operations (server only: the
//! browser never sees them). Unknown fields are refused, so a misspelt field is an error
//! rather than a value silently left out.

use crate::domain::{CaseStatus, Handling, OperationKind, SubjectKind, Theme};
use crate::operations::types::OperationInput;
use crate::subjects::types::SubjectInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A case as an agency's system sends it: the whole case. `subjects` and `operations`, when
/// given, are the case's complete lists (what is not in them is removed); left out, they are
/// not touched.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Smuggling route via Hoek van Holland",
    "theme": "smuggling",
    "status": "active",
    "start": "2026-11-02",
    "handling": "share-on-consent",
    "subjects": [
        {"kind": "person", "given_names": "Yonas", "family_name": "Tesfay", "birth_date": "1991-04-12", "nationality": "ERI"},
        {"kind": "phone", "value": "+31 6 12345678"}
    ]
}))]
pub struct CaseDocument {
    #[schema(max_length = 200)]
    pub title: String,
    pub theme: Theme,
    pub status: CaseStatus,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub start: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub end: Option<String>,
    pub handling: Handling,
    /// Joint ventures a `shared-with` case is shared with.
    #[serde(default)]
    pub shared_with: Vec<i32>,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub description: String,
    #[serde(default)]
    pub subjects: Option<Vec<SubjectDocument>>,
    #[serde(default)]
    pub operations: Option<Vec<OperationDocument>>,
}

/// A subject: the fields its kind uses (a person's names and date of birth, a phone's or an
/// account's `value`, …); every other field stays empty, as in the CSV import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectDocument {
    pub kind: SubjectKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given_names: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub family_name: String,
    /// Other names, separated by `;`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub aliases: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub birth_date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nationality: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sex: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub street: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub house_number: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub municipality: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl SubjectDocument {
    pub fn to_input(&self) -> SubjectInput {
        SubjectInput {
            kind: self.kind.as_str().to_owned(),
            given_names: self.given_names.clone(),
            family_name: self.family_name.clone(),
            aliases: self.aliases.clone(),
            birth_date: self.birth_date.clone(),
            nationality: self.nationality.clone(),
            sex: self.sex.clone(),
            value: self.value.clone(),
            country: self.country.clone(),
            street: self.street.clone(),
            house_number: self.house_number.clone(),
            postcode: self.postcode.clone(),
            municipality: self.municipality.clone(),
            document_type: self.document_type.clone(),
            name: self.name.clone(),
        }
    }

    /// What was typed, as stored; `None` for a row whose kind no longer parses.
    pub fn of_input(input: &SubjectInput) -> Option<Self> {
        Some(SubjectDocument {
            kind: input.kind.parse().ok()?,
            given_names: input.given_names.clone(),
            family_name: input.family_name.clone(),
            aliases: input.aliases.clone(),
            birth_date: input.birth_date.clone(),
            nationality: input.nationality.clone(),
            sex: input.sex.clone(),
            value: input.value.clone(),
            country: input.country.clone(),
            street: input.street.clone(),
            house_number: input.house_number.clone(),
            postcode: input.postcode.clone(),
            municipality: input.municipality.clone(),
            document_type: input.document_type.clone(),
            name: input.name.clone(),
        })
    }
}

/// A planned operation. Times are Dutch local time, `YYYY-MM-DDTHH:MM`; the place is a
/// municipality's CBS code, coordinates (`52.37, 4.89`), or both.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationDocument {
    pub kind: OperationKind,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub coordinates: String,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub note: String,
}

impl OperationDocument {
    pub fn to_input(&self) -> OperationInput {
        OperationInput {
            kind: self.kind.as_str().to_owned(),
            place: self.place.clone(),
            municipality: self.municipality.clone(),
            coordinates: self.coordinates.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            note: self.note.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectResource {
    pub id: i32,
    /// One line a person reads.
    pub summary: String,
    /// What was sent, as a `PUT` takes it back.
    pub subject: SubjectDocument,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OperationResource {
    pub id: i32,
    pub kind: OperationKind,
    pub place: String,
    /// The municipality's CBS code, if one was given.
    pub municipality: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub starts_at: String,
    pub ends_at: String,
    pub note: String,
}

/// A case as Liaison holds it. `version` is also its `ETag`; send it back as `If-Match`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseResource {
    pub id: i32,
    pub joint_venture_id: i32,
    pub reference: String,
    pub version: i32,
    pub title: String,
    pub theme: Theme,
    pub status: CaseStatus,
    pub start: String,
    pub end: Option<String>,
    pub handling: Handling,
    pub shared_with: Vec<i32>,
    pub description: String,
    pub updated_at: String,
    pub subjects: Vec<SubjectResource>,
    pub operations: Vec<OperationResource>,
}

/// What a `PUT` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PutResult {
    Created,
    Updated,
    /// The case already was exactly this: nothing was written.
    Unchanged,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PutAnswer {
    pub result: PutResult,
    pub case: CaseResource,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i32,
    pub reference: String,
    pub version: i32,
    pub title: String,
    pub theme: Theme,
    pub status: CaseStatus,
    pub start: String,
    pub end: Option<String>,
    pub updated_at: String,
}

/// One page of cases; ask for the next with `after=next_after`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub next_after: Option<i32>,
}
