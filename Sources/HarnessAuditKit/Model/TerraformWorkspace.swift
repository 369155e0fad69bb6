/// A terraform (or OpenTofu) workspace selected for a directory (`terraform workspace select production`): later runs
/// in that directory act on it until another is selected.
public struct TerraformWorkspace: Sendable, Equatable {
    public var name: String
    /// The directory it was selected for (the working directory, or `-chdir`), absolute when known.
    public var directory: String?

    public init(name: String, directory: String?) {
        self.name = name
        self.directory = directory
    }
}
