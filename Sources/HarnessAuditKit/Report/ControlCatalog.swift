/// The report's wording for each finding category: the control it tests, said as the
/// expectation a manager holds ("A person confirms every delete").
public enum ControlCatalog {
    public static let statements: [String: String] = [
        "approval-bypass": "Agents act only with approvals on",
        "unconfirmed-delete": "A person confirms every delete",
        "sensitive-read": "Agents do not read secrets",
        "production-deploy": "Production changes only where authorized",
        "high-risk-command": "No high-risk commands outside authorized contexts",
        "write-outside-scope": "Writes stay inside the workspace",
        "schema-change": "Database schema changes only where authorized",
        "merge-without-approval": "A person approves every merge",
        "untested-change": "Changes are tested before they are pushed",
        "k8s-exec": "No shells in running pods",
        "k8s-cross-namespace": "Service accounts stay in their namespace",
        "privilege-escalation": "No privilege escalation",
        "long-lived-credential": "Only short-lived credentials",
        "audit-gap": "The audit trail is complete",
        "permission-drift": "Agents use only the capabilities granted",
        "unused-permission": "Agents are granted only what they use",
    ]

    /// The statement for a category, or the category itself for a team's own.
    public static func statement(_ category: String) -> String { statements[category] ?? category }
}
