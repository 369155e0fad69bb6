import Testing
@testable import HarnessAuditKit

@Suite("Timestamps")
struct TimestampTests {
    @Test("parses RFC 3339 variants to epoch milliseconds", arguments: [
        ("2026-11-02T10:15:03.123Z", Int64(1_793_614_503_123)),
        ("2026-11-02T10:15:03Z", Int64(1_793_614_503_000)),
        ("2026-11-02T12:15:03.123+02:00", Int64(1_793_614_503_123)),
        ("2026-11-02T05:15:03.123-0500", Int64(1_793_614_503_123)),
        ("2026-11-02 10:15:03.123456789Z", Int64(1_793_614_503_123)),
        ("2026-08-29T12:21:44.189258Z", Int64(1_788_006_104_189)),
        ("2026-11-02", Int64(1_793_577_600_000)),
        ("1970-01-01T00:00:00Z", Int64(0)),
    ])
    func parses(_ text: String, _ expected: Int64) {
        #expect(Timestamp.parseISO8601(text) == expected)
    }

    @Test("rejects non-timestamps", arguments: ["yesterday", "2026-13-01T00:00:00Z", "2026-02-30", "2026-11-02T25:00:00Z",
                                               "2026-11-02T10:15:03.Z", "2026-11-02T10:15:03X", ""])
    func rejects(_ text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test("formats and round-trips")
    func formats() {
        #expect(Timestamp.format(1_793_614_503_123) == "2026-11-02T10:15:03.123Z")
        #expect(Timestamp.formatDate(1_793_614_503_123) == "2026-11-02")
        #expect(Timestamp.fromEpochNumber(1_793_614_503) == 1_793_614_503_000)
        #expect(Timestamp.fromEpochNumber(1_793_614_503_123) == 1_793_614_503_123)
        #expect(Timestamp.fromEpochNumber(1.793614503123e18) == 1_793_614_503_123)
    }
}
