//! An audit event's detail read back for the page. The recorders write short English notes
//! (`5 of 12 shown`, `search operation 12`) into the hash-chained trail, which is never
//! rewritten; here the known ones become an [`AuditDetail`] the page words in the reader's
//! language. Any other note is shown as recorded, its UTC times on the Dutch clock.

use crate::audit::types::{AuditDetail, Counted, DetailPart, Seen};
use crate::domain::AuditAction;
use crate::server::time::local_moment;

/// What `detail`, recorded with `action`, says.
pub fn read(action: &str, detail: &str) -> AuditDetail {
    let known = action
        .parse::<AuditAction>()
        .ok()
        .and_then(|action| known(action, detail));
    known.unwrap_or_else(|| as_recorded(detail))
}

fn known(action: AuditAction, detail: &str) -> Option<AuditDetail> {
    use AuditAction as A;
    let count = |suffix: &str| detail.strip_suffix(suffix)?.parse::<u64>().ok();
    let counted = |suffix: &str, of: Counted| {
        Some(AuditDetail::Count {
            count: count(suffix)?,
            of,
        })
    };
    let ended = |suffix: &str, other: bool| {
        Some(AuditDetail::SessionsEnded {
            count: count(suffix)?,
            other,
        })
    };
    match action {
        A::ListCases => {
            let (shown, total) = detail.strip_suffix(" shown")?.split_once(" of ")?;
            Some(AuditDetail::Shown {
                shown: shown.parse().ok()?,
                total: Some(total.parse().ok()?),
                of: Counted::Cases,
            })
        }
        A::ListOverlaps | A::ListOverseenOverlaps => Some(AuditDetail::Shown {
            shown: count(" shown")?,
            total: None,
            of: Counted::Overlaps,
        }),
        A::ImportCases => counted(" cases", Counted::Cases),
        A::ImportSubjects | A::ExportSubjects => counted(" subjects", Counted::Subjects),
        A::ViewSignalAnalysis => counted(" signals", Counted::Signals),
        A::ViewProvisions | A::ExportProvisions => counted(" provisions", Counted::Provisions),
        A::ViewOverlapReport => counted(" overlaps", Counted::Overlaps),
        A::ChangePassword => ended(" other sessions ended", true),
        A::DeactivateUser => ended(" sessions ended", false),
        A::ReadOverlap => match detail {
            "disclosed" => Some(AuditDetail::Seen(Seen::Disclosed)),
            "withdrawn" => Some(AuditDetail::Seen(Seen::Withdrawn)),
            "pointer" => Some(AuditDetail::Seen(Seen::Pointer)),
            _ => None,
        },
        A::ConsentOverlap | A::DiscloseOverlap | A::RequestDisclosureApproval => {
            // `request 12, ` before and `, approved` after where four eyes applied: the
            // request and its approval are events of their own.
            let grounds = match detail.strip_prefix("request ") {
                Some(rest) => rest.split_once(", ")?.1,
                None => detail,
            };
            let grounds = grounds.strip_suffix(", approved").unwrap_or(grounds);
            let (purpose, basis) = grounds.strip_prefix("purpose ")?.split_once(", basis ")?;
            Some(AuditDetail::Grounds {
                purpose: purpose.parse().ok()?,
                basis: basis.parse().ok()?,
            })
        }
        A::AddOperation => {
            let (kind, id) = detail.split_once(" operation ")?;
            Some(AuditDetail::Operation {
                kind: kind.parse().ok()?,
                id: id.to_owned(),
            })
        }
        A::AddSubject => {
            let (kind, id) = detail.split_once(" subject ")?;
            Some(AuditDetail::Subject {
                kind: kind.parse().ok()?,
                id: id.to_owned(),
            })
        }
        _ => None,
    }
}

/// The note as recorded, each RFC 3339 UTC time in it (`2026-12-04T03:30:05.166043Z`) as a
/// moment on the Dutch clock.
fn as_recorded(detail: &str) -> AuditDetail {
    let mut parts = Vec::new();
    let mut rest = detail;
    while let Some((start, end)) = utc_time_in(rest) {
        if start > 0 {
            parts.push(DetailPart::Text(rest[..start].to_owned()));
        }
        parts.push(DetailPart::Moment(local_moment(&rest[start..end])));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        parts.push(DetailPart::Text(rest.to_owned()));
    }
    AuditDetail::Text(parts)
}

/// Where the first UTC time in `text` starts and ends: `2026-12-04T03:30:05`, a fraction if
/// any, and `Z`. Both are ASCII positions, so both are character boundaries.
fn utc_time_in(text: &str) -> Option<(usize, usize)> {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let head = bytes.get(start..start + SHAPE.len())?;
        let fits = head.iter().zip(SHAPE).all(|(byte, shape)| match shape {
            b'd' => byte.is_ascii_digit(),
            _ => byte == shape,
        });
        if !fits {
            return None;
        }
        let mut end = start + SHAPE.len();
        if bytes.get(end) == Some(&b'.') {
            end += 1;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
        }
        (bytes.get(end) == Some(&b'Z')).then_some((start, end + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::LocalMoment;
    use crate::domain::{OperationKind, SubjectKind};

    #[test]
    fn a_list_says_how_many_rows_it_showed() {
        assert_eq!(
            read("list_cases", "5 of 12 shown"),
            AuditDetail::Shown {
                shown: 5,
                total: Some(12),
                of: Counted::Cases
            }
        );
        assert_eq!(
            read("list_overlaps", "5 shown"),
            AuditDetail::Shown {
                shown: 5,
                total: None,
                of: Counted::Overlaps
            }
        );
        assert_eq!(
            read("list_overseen_overlaps", "0 shown"),
            AuditDetail::Shown {
                shown: 0,
                total: None,
                of: Counted::Overlaps
            }
        );
    }

    #[test]
    fn grounds_are_read_back_also_with_a_request_or_an_approval() {
        let grounds = AuditDetail::Grounds {
            purpose: crate::domain::DisclosurePurpose::CoordinateInvestigations,
            basis: crate::domain::LegalBasis::Gdpr6e,
        };
        for (action, detail) in [
            (
                "consent_overlap",
                "purpose coordinate_investigations, basis gdpr_6_1_e",
            ),
            (
                "disclose_overlap",
                "purpose coordinate_investigations, basis gdpr_6_1_e, approved",
            ),
            (
                "request_disclosure_approval",
                "request 12, purpose coordinate_investigations, basis gdpr_6_1_e",
            ),
        ] {
            assert_eq!(read(action, detail), grounds, "{action}: {detail}");
        }
        assert_ne!(
            read("consent_overlap", "purpose nonsense, basis x"),
            grounds
        );
    }

    #[test]
    fn counts_and_ended_sessions_are_read_back() {
        assert_eq!(
            read("export_subjects", "12 subjects"),
            AuditDetail::Count {
                count: 12,
                of: Counted::Subjects
            }
        );
        assert_eq!(
            read("import_cases", "3 cases"),
            AuditDetail::Count {
                count: 3,
                of: Counted::Cases
            }
        );
        assert_eq!(
            read("change_password", "2 other sessions ended"),
            AuditDetail::SessionsEnded {
                count: 2,
                other: true
            }
        );
        assert_eq!(
            read("deactivate_user", "1 sessions ended"),
            AuditDetail::SessionsEnded {
                count: 1,
                other: false
            }
        );
    }

    #[test]
    fn kinds_and_what_was_seen_are_codes_read_back() {
        assert_eq!(
            read("add_operation", "search operation 12"),
            AuditDetail::Operation {
                kind: OperationKind::Search,
                id: "12".into()
            }
        );
        assert_eq!(
            read("add_subject", "bank_account subject 7"),
            AuditDetail::Subject {
                kind: SubjectKind::BankAccount,
                id: "7".into()
            }
        );
        assert_eq!(
            read("read_overlap", "pointer"),
            AuditDetail::Seen(Seen::Pointer)
        );
    }

    #[test]
    fn any_other_note_is_shown_as_recorded() {
        assert_eq!(read("sign_in", ""), AuditDetail::Text(vec![]));
        assert_eq!(
            read("read_case", "TMN-2026-001"),
            AuditDetail::Text(vec![DetailPart::Text("TMN-2026-001".into())])
        );
        // A note that does not fit its action's shape, and an action recorded before it had
        // words.
        assert_eq!(
            read("list_cases", "many shown"),
            AuditDetail::Text(vec![DetailPart::Text("many shown".into())])
        );
        assert_eq!(
            read("an_old_action", "5 shown"),
            AuditDetail::Text(vec![DetailPart::Text("5 shown".into())])
        );
    }

    #[test]
    fn the_times_in_a_note_are_on_the_dutch_clock() {
        assert_eq!(
            read(
                "issue_set_password_link",
                "valid until 2026-12-07T03:30:05.166043Z; request #3"
            ),
            AuditDetail::Text(vec![
                DetailPart::Text("valid until ".into()),
                DetailPart::Moment(LocalMoment {
                    date: "2026-12-07".into(),
                    time: "04:30".into()
                }),
                DetailPart::Text("; request #3".into()),
            ])
        );
        assert_eq!(
            read(
                "set_password",
                "with the link issued at 2026-07-01T22:30:00Z"
            ),
            AuditDetail::Text(vec![
                DetailPart::Text("with the link issued at ".into()),
                DetailPart::Moment(LocalMoment {
                    date: "2026-07-02".into(),
                    time: "00:30".into()
                }),
            ])
        );
        // A date alone, or a time without its zone, is no stored time.
        assert_eq!(
            read("update_case", "from 2026-12-07 and 2026-12-07T03:30:05"),
            AuditDetail::Text(vec![DetailPart::Text(
                "from 2026-12-07 and 2026-12-07T03:30:05".into()
            )])
        );
    }
}
