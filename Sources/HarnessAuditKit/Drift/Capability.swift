/// One capability: a kind and a value (`command` `terraform apply`, `host` `pypi.org`).
public struct Capability: Hashable, Sendable, Comparable {
    public var kind: CapabilityKind
    public var value: String

    public init(_ kind: CapabilityKind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: Capability, b: Capability) -> Bool {
        a.kind != b.kind ? a.kind < b.kind : a.value < b.value
    }
}
