/// Steps applied to every decoded event on the parser thread (classification plugs in here).
enum Enrichment {
    static func standard() -> (inout EventRecord, JSONValue?) -> Void {
        { _, _ in }
    }
}
