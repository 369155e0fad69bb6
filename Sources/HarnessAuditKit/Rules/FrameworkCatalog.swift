/// The control identifiers of the frameworks rules map to, so a mapping to a control
/// that does not exist is rejected when rules load.
///
/// - SOC 2: AICPA Trust Services Criteria 2017 (with the 2022 points of focus): CC1.1–CC9.2,
///   A1.1–A1.3, C1.1–C1.2, PI1.1–PI1.5, P1.1–P8.1.
/// - ISO/IEC 27001:2022 Annex A: A.5.1–A.5.37, A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34.
/// - NIST SP 800-53 rev. 5: the base controls of each family (e.g. AC-1–AC-25), optionally with
///   an enhancement number in parentheses (`AC-6(9)`).
public enum FrameworkCatalog {
    public enum Framework: String, CaseIterable, Sendable {
        case soc2, iso27001, nist80053

        public var title: String {
            switch self {
            case .soc2: return "SOC 2 (TSC 2017)"
            case .iso27001: return "ISO/IEC 27001:2022 Annex A"
            case .nist80053: return "NIST SP 800-53 rev. 5"
            }
        }
    }

    static let soc2: Set<String> = {
        var ids: Set<String> = []
        let common = [(1, 5), (2, 3), (3, 4), (4, 2), (5, 3), (6, 8), (7, 5), (8, 1), (9, 2)]
        for (series, count) in common { for n in 1...count { ids.insert("CC\(series).\(n)") } }
        for n in 1...3 { ids.insert("A1.\(n)") }
        for n in 1...2 { ids.insert("C1.\(n)") }
        for n in 1...5 { ids.insert("PI1.\(n)") }
        let privacy = [(1, 1), (2, 1), (3, 2), (4, 3), (5, 2), (6, 7), (7, 1), (8, 1)]
        for (series, count) in privacy { for n in 1...count { ids.insert("P\(series).\(n)") } }
        return ids
    }()

    static let iso27001: Set<String> = {
        var ids: Set<String> = []
        for (theme, count) in [(5, 37), (6, 8), (7, 14), (8, 34)] { for n in 1...count { ids.insert("A.\(theme).\(n)") } }
        return ids
    }()

    static let nistFamilies: [String: Int] = [
        "AC": 25, "AT": 6, "AU": 16, "CA": 9, "CM": 14, "CP": 13, "IA": 13, "IR": 10, "MA": 7, "MP": 8, "PE": 23,
        "PL": 11, "PM": 32, "PS": 9, "PT": 8, "RA": 10, "SA": 23, "SC": 51, "SI": 23, "SR": 12,
    ]

    /// Whether `control` exists in `framework`.
    public static func isValid(_ control: String, in framework: Framework) -> Bool {
        switch framework {
        case .soc2: return soc2.contains(control)
        case .iso27001: return iso27001.contains(control)
        case .nist80053:
            var base = Substring(control)
            if let open = control.firstIndex(of: "(") {
                guard control.hasSuffix(")"), let n = Int(control[control.index(after: open)..<control.index(before: control.endIndex)]),
                      n >= 1 && n <= 40 else { return false }
                base = control[..<open]
            }
            let parts = base.split(separator: "-")
            guard parts.count == 2, let maximum = nistFamilies[String(parts[0])], let number = Int(parts[1]) else { return false }
            return number >= 1 && number <= maximum
        }
    }
}

extension JSONWriter {
    /// `"frameworks": {"soc2": [...], "iso27001": [...], "nist80053": [...]}`.
    mutating func frameworks(_ mappings: [FrameworkCatalog.Framework: [String]]) {
        key("frameworks")
        beginObject()
        for framework in FrameworkCatalog.Framework.allCases { field(framework.rawValue, strings: mappings[framework] ?? []) }
        endObject()
    }
}
