import ArgumentParser
import Foundation
import LogfoldDomain
import LogfoldEngine

/// The `logfold status [--json]` command.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Journal head, projector checkpoint and lag, outbox counts by status, dead letters.",
        discussion: "A running daemon answers the same at GET /v1/status.")

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "One JSON object instead of lines.") var json = false

    func run() throws {
        try reportingFailures {
            let directory = dataOptions.directory
            let store =
                FileManager.default.fileExists(atPath: directory.statePath)
                ? try directory.openExistingStore() : nil
            let report = try StatusReport.read(journal: try directory.openExistingJournal(), store: store)
            if json {
                say(report.json.rendered)
            } else {
                report.lines.forEach(say)
            }
        }
    }
}
