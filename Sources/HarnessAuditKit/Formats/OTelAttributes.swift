/// The attributes of an OTLP/JSON resource or log record: a list of `{key, value}` where
/// value is an `AnyValue` (`stringValue`, `intValue` as a string or a number, `boolValue`,
/// `doubleValue`, `bytesValue`, `arrayValue`, `kvlistValue`). Later keys win.
struct OTelAttributes {
    private(set) var values: [String: JSONValue] = [:]

    init() {}

    init(_ list: JSONValue?) {
        guard let list, list.isArray else { return }
        for item in list.elements {
            guard let key = item["key"]?.string, let value = item["value"] else { continue }
            values[key] = value
        }
    }

    mutating func merge(_ other: OTelAttributes) {
        for (key, value) in other.values where values[key] == nil { values[key] = value }
    }

    /// A value as text: strings as they are, numbers and booleans as written, arrays joined by ", ".
    func string(_ key: String) -> String? {
        guard let value = values[key] else { return nil }
        let text = OTelAttributes.text(value)
        return text?.isEmpty == true ? nil : text
    }

    func int(_ key: String) -> Int64? {
        guard let value = values[key] else { return nil }
        return (value["intValue"] ?? value["doubleValue"] ?? value["stringValue"])?.int64
    }

    func bool(_ key: String) -> Bool? {
        guard let value = values[key] else { return nil }
        return (value["boolValue"] ?? value["stringValue"])?.bool
    }

    static func text(_ anyValue: JSONValue) -> String? {
        if let v = anyValue["stringValue"] { return v.scalarText }
        if let v = anyValue["intValue"] { return v.scalarText }
        if let v = anyValue["doubleValue"] { return v.scalarText }
        if let v = anyValue["boolValue"] { return v.scalarText }
        if let v = anyValue["bytesValue"] { return v.string }
        if let array = anyValue["arrayValue"]?["values"] {
            return array.elements.compactMap(text).joined(separator: ", ")
        }
        if let list = anyValue["kvlistValue"]?["values"] {
            var w = JSONWriter()
            w.beginObject()
            for item in list.elements {
                guard let key = item["key"]?.string else { continue }
                w.field(key, item["value"].flatMap(text))
            }
            w.endObject()
            return w.output
        }
        return anyValue.scalarText
    }
}
