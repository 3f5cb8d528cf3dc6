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
    @Option(help: "Only this destination's figures: klaviyo or activecampaign (default: every one).")
    var destination: String?

    func validate() throws {
        if let destination, !["klaviyo", "activecampaign"].contains(destination) {
            throw ValidationError("--destination takes klaviyo or activecampaign")
        }
    }

    func run() throws {
        let directory = dataOptions.directory
        let store =
            FileManager.default.fileExists(atPath: directory.statePath)
            ? try directory.openExistingStore() : nil
        let report = try StatusReport.read(journal: try directory.openExistingJournal(), store: store)
        switch (json, destination) {
        case (true, nil): say(report.json.rendered)
        case (true, let destination?): say(report.json(destination: destination).rendered)
        case (false, nil): report.lines.forEach(say)
        case (false, let destination?): report.lines(destination: destination).forEach(say)
        }
    }
}
