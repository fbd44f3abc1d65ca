//! The report: refusals, its text in both languages and formats, the file it writes.

use super::*;

#[test]
fn refusals_unknown_station_and_future_month() {
    let b = fixture();
    let a = b.station_a.meta.id;
    let snapshot = b.snapshot();
    for session in [&b.officer_a, &b.admin] {
        let e = b.service.station_statistics(session, a, nov()).unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden(Forbidden::StatisticsRole(_))),
            "{e:?}"
        );
        assert!(b.service.bureau_statistics(session, nov()).is_err());
    }
    let e = b
        .service
        .station_statistics(&b.chief_b, a, nov())
        .unwrap_err();
    assert!(matches!(
        e,
        ServiceError::Forbidden(Forbidden::OtherStation)
    ));
    let e = b.service.bureau_statistics(&b.chief_a, nov()).unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden(Forbidden::BureauView)));
    let dec = Month::new(2026, 12).expect("month");
    let e = b
        .service
        .station_statistics(&b.chief_a, a, dec)
        .unwrap_err();
    assert!(matches!(e, ServiceError::FutureMonth(_)));
    use beatbook::i18n::Localize;
    assert!(e.localize(Lang::Zh).contains("2026-12"));
    assert!(e.localize(Lang::En).contains("has not begun"));
    let e = b.service.station_by_code_or_name("XX").unwrap_err();
    assert!(e.localize(Lang::Zh).contains("XX"));
    assert_eq!(
        b.service
            .station_by_code_or_name("hx")
            .expect("by code")
            .meta
            .id,
        b.station_b.meta.id
    );
    let e = b
        .service
        .station_statistics(&b.supervisor, Id::new(), nov())
        .unwrap_err();
    assert!(matches!(e, ServiceError::NotFound(_)));
    assert_eq!(b.snapshot(), snapshot, "reading statistics writes nothing");
}

#[test]
fn report_snapshots_zh_en_md_csv_and_zero_report() {
    let b = fixture();
    let a = Some(b.station_a.meta.id);
    for lang in [Lang::Zh, Lang::En] {
        for format in [Format::Markdown, Format::Csv] {
            let text = b
                .service
                .monthly_report(&b.chief_a, a, nov(), format, lang)
                .expect("report");
            insta::assert_snapshot!(
                format!("report_station_{lang}_{}", format.extension()),
                text
            );
            let text = b
                .service
                .monthly_report(&b.supervisor, None, nov(), format, lang)
                .expect("bureau report");
            insta::assert_snapshot!(format!("report_bureau_{lang}_{}", format.extension()), text);
        }
    }
    let zero = b
        .service
        .monthly_report(
            &b.chief_b,
            Some(b.station_b.meta.id),
            nov(),
            Format::Markdown,
            Lang::Zh,
        )
        .expect("zero report");
    assert!(zero.contains("零报告"), "{zero}");
    let zero_en = b
        .service
        .monthly_report(
            &b.chief_b,
            Some(b.station_b.meta.id),
            nov(),
            Format::Markdown,
            Lang::En,
        )
        .expect("zero report");
    assert!(zero_en.contains("Zero report"), "{zero_en}");
}

#[test]
fn the_report_file_lands_in_the_data_folder() {
    let b = fixture();
    let path = b
        .service
        .write_monthly_report(&b.chief_a, Some(b.station_a.meta.id), nov(), Lang::En)
        .expect("written");
    assert!(path.starts_with(b.dir.path()) || path.to_string_lossy().contains("reports"));
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("Monthly report"));
    assert!(b
        .service
        .write_monthly_report(&b.officer_a, Some(b.station_a.meta.id), nov(), Lang::En)
        .is_err());
}
