import Testing

/// Groups the report tests so `swift test --filter Report` selects them.
@Suite enum ReportTests {}
