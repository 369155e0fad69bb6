/// Why a line could not become events. `reason` is a short category used for grouping
/// (`stats` groups by it); `detail` is the specific message.
public struct LineRejection: Error, Equatable, Sendable {
    public var reason: String
    public var detail: String
    /// Top-level keys of a valid JSON object whose format is unknown.
    public var keys: [String]?

    public init(reason: String, detail: String, keys: [String]? = nil) {
        self.reason = reason
        self.detail = detail
        self.keys = keys
    }

    public static let invalidJSON = "invalid JSON"
    public static let invalidUTF8 = "invalid UTF-8"
    public static let unknownFormat = "unknown format"
    public static let missingField = "missing required field"
    public static let invalidField = "invalid field"
    public static let tooDeep = "nesting too deep"
    public static let tooLong = "line too long"
    public static let truncated = "truncated line"
    public static let notObject = "not a JSON object"
    public static let binary = "binary data"
}
