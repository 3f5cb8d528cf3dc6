import ArgumentParser

/// `logfold`: the command-line surface operators' scripts drive (see docs/operations.md).
@main
struct Logfold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logfold",
        abstract: "Turn a subscription platform's system log into Klaviyo marketing history, exactly once.",
        discussion: """
            Entries flow: ingest (JSON Lines → LMDB journal) → project (state + outbox) → send (Klaviyo).
            Every command takes --data DIR (default ./data, or $LOGFOLD_DATA).
            """,
        version: "0.1.0",
        subcommands: [
            IngestCommand.self, ProjectCommand.self, ReplayCommand.self, DigestCommand.self, OutboxCommand.self,
            CustomerCommand.self, SendCommand.self, StatusCommand.self, JournalCommand.self, GenerateCommand.self,
            SandboxCommand.self, RunCommand.self, DestinationCommand.self,
        ]
    )
}
