/// Decides whether a context, namespace, cluster, workspace, app, host or variable name
/// denotes production (DESIGN §4): it is or contains one of the production tokens as a
/// separate token. Names are split at non-alphanumerics, case changes and digit
/// boundaries, so `prod-eu`, `eks_prd_1`, `PROD_DATABASE_URL` and `ProdCluster` are
/// production while `product-catalog`, `preprod`, `non-prod` and `reproduce` are not.
public struct ProductionDetector: Sendable {
    public static let defaultTokens = ["prod", "production", "prd", "live"]
    /// A token right before a production token negates it (`non-prod`, `pre-prod`).
    static let negations: Set<String> = ["non", "pre", "not"]

    public let tokens: Set<String>
    /// Names that are production whatever their tokens (contexts, namespaces, hosts).
    public let explicitNames: Set<String>
    /// Names that are never production, even if their tokens say so.
    public let excludedNames: Set<String>

    public init(tokens: [String] = ProductionDetector.defaultTokens, explicitNames: [String] = [],
                excludedNames: [String] = []) {
        self.tokens = Set(tokens.map { $0.lowercased() })
        self.explicitNames = Set(explicitNames.map { $0.lowercased() })
        self.excludedNames = Set(excludedNames.map { $0.lowercased() })
    }

    /// The matched token (or explicit name) when `name` denotes production.
    public func match(_ name: String) -> String? {
        let lower = name.lowercased()
        if excludedNames.contains(lower) { return nil }
        if explicitNames.contains(lower) { return lower }
        let parts = ProductionDetector.tokenize(name)
        for (index, part) in parts.enumerated() where tokens.contains(part) {
            if index > 0 && ProductionDetector.negations.contains(parts[index - 1]) { continue }
            return part
        }
        return nil
    }

    /// Lower-cased tokens of a name.
    public static func tokenize(_ name: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var previous: Character?
        for ch in name {
            let isAlnum = ch.isLetter || ch.isNumber
            if !isAlnum {
                if !current.isEmpty { tokens.append(current.lowercased()) }
                current = ""
                previous = nil
                continue
            }
            if let p = previous {
                let boundary = (p.isLowercase && ch.isUppercase) || (p.isLetter && ch.isNumber)
                    || (p.isNumber && ch.isLetter)
                if boundary {
                    tokens.append(current.lowercased())
                    current = ""
                }
            }
            current.append(ch)
            previous = ch
        }
        if !current.isEmpty { tokens.append(current.lowercased()) }
        return tokens
    }
}

/// Branches where a direct push counts as a merge (DESIGN §3.1): `main`, `master` and
/// `release/*` by default; globs allowed.
public struct ProtectedBranches: Sendable {
    public static let defaultPatterns = ["main", "master", "release/*"]
    public let patterns: [String]
    private let globs: [GlobPattern]

    public init(patterns: [String] = ProtectedBranches.defaultPatterns) {
        self.patterns = patterns
        globs = patterns.map(GlobPattern.init)
    }

    public func isProtected(_ branch: String) -> Bool {
        var name = branch
        if name.hasPrefix("refs/heads/") { name.removeFirst(11) }
        return globs.contains { $0.matches(name) }
    }
}
