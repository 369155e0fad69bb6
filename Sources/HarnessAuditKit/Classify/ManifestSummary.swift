/// What a Kubernetes manifest given in the line says of itself (`kubectl apply -f - <<EOF`, a Kubernetes MCP server's
/// resource): the kinds of its objects, the namespaces in their metadata, the roles its bindings grant and whether a
/// Secret is a legacy service-account token. Read line by line from YAML (documents split by `---`), and from JSON by
/// its members, whatever the document's shape; only top-level members count (a binding's subjects have kinds and
/// namespaces of their own).
struct ManifestSummary: Equatable {
    var kinds: [String] = []
    var namespaces: [String] = []
    /// The roles bindings refer to (`roleRef.name`).
    var roles: [String] = []
    /// A Secret of type `kubernetes.io/service-account-token` (a token that never expires), by name.
    var legacyTokenSecrets: [String] = []
    var names: [String] = []

    static let rbacKinds: Set<String> = ["ClusterRoleBinding", "RoleBinding", "ClusterRole", "Role"]

    var changesRBAC: Bool { kinds.contains { ManifestSummary.rbacKinds.contains($0) } }

    init() {}

    init(text: String) {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            readJSON(String(trimmed))
        } else {
            readYAML(text)
        }
    }

    private mutating func readYAML(_ text: String) {
        var block = ""
        var kind = "", type = "", name = ""
        func finish(_ summary: inout ManifestSummary) {
            if kind == "Secret" && type == "kubernetes.io/service-account-token" { summary.legacyTokenSecrets.append(name) }
            kind = ""; type = ""; name = ""
        }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            if line.hasPrefix("---") {
                finish(&self)
                block = ""
                continue
            }
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.hasPrefix("#") || content.isEmpty { continue }
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = String(content[..<colon])
            let value = ManifestSummary.scalar(content[content.index(after: colon)...])
            if indent == 0 {
                block = key
                switch key {
                case "kind":
                    kind = value
                    if !value.isEmpty { kinds.append(value) }
                case "type": type = value
                default: break
                }
            } else if indent == 2, block == "metadata" {
                if key == "namespace", !value.isEmpty { namespaces.append(value) }
                if key == "name", !value.isEmpty { name = value; names.append(value) }
            } else if indent == 2, block == "roleRef", key == "name", !value.isEmpty {
                roles.append(value)
            }
        }
        finish(&self)
    }

    /// A JSON manifest (or a `List`): read by its members, the first level of each object and its `metadata`.
    private mutating func readJSON(_ text: String) {
        let tape = JSONTape()
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            guard (try? tape.parse(UnsafeRawBufferPointer(buffer))) != nil else { return }
            let root = JSONValue(bytes: UnsafeRawBufferPointer(buffer), tape: tape)
            var objects = root.isArray ? root.elements : [root]
            if let items = root["items"], items.isArray { objects += items.elements }
            for object in objects where object.isObject {
                let kind = object["kind"]?.string ?? ""
                if !kind.isEmpty && kind != "List" { kinds.append(kind) }
                if let namespace = object["metadata"]?["namespace"]?.string { namespaces.append(namespace) }
                let name = object["metadata"]?["name"]?.string ?? ""
                if !name.isEmpty { names.append(name) }
                if let role = object["roleRef"]?["name"]?.string { roles.append(role) }
                if kind == "Secret", object["type"]?.isString("kubernetes.io/service-account-token") == true { legacyTokenSecrets.append(name) }
            }
        }
    }

    /// A YAML scalar's text: unquoted, without a trailing comment.
    static func scalar(_ text: Substring) -> String {
        var value = text.drop { $0 == " " || $0 == "\t" }
        var previous: Character = " "
        for index in value.indices {
            if value[index] == "#" && (previous == " " || previous == "\t") {
                value = value[..<index]
                break
            }
            previous = value[index]
        }
        while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = value.dropFirst().dropLast()
        }
        return String(value)
    }
}
