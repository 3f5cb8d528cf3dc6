package import Foundation

/// Runs the real `logfold` executable as a child process, for crash and end-to-end tests.
///
/// The binary sits beside the test bundle in the build's products directory; the test targets
/// depend on the executable so `swift build --build-tests` always produces it.
package final class LogfoldProcess: @unchecked Sendable {
    // @unchecked: the Process and pipes are driven from one test at a time.
    package let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    /// Both pipes are read from the start: a child whose output nobody reads blocks once a pipe's 64 KiB
    /// fill, and a long-running one (a daemon, the sandbox) would stall mid-test until it is stopped.
    private let output: PipeDrain
    private let errors: PipeDrain

    /// The built `logfold` binary.
    package static var executableURL: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            // Under `swift test` on Linux the runner is `<products>/<name>.xctest`; on Darwin it is inside a bundle.
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("logfold")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
            let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/.build/debug/logfold")
            if FileManager.default.isExecutableFile(atPath: fallback.path) { return fallback }
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "logfold binary not found; run `swift build` first"])
        }
    }

    /// Starts `logfold ARGUMENTS`, with standard input from `stdin` when given.
    package init(_ arguments: [String], stdin: FileHandle? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = try Self.executableURL
        process.arguments = arguments
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        if let stdin { process.standardInput = stdin }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        try process.run()
        output = PipeDrain(stdoutPipe.fileHandleForReading)
        errors = PipeDrain(stderrPipe.fileHandleForReading)
    }

    /// The child's pid.
    package var pid: Int32 { process.processIdentifier }

    /// Sends `signal` (for example `SIGKILL`, `SIGTERM`).
    package func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Reads one line of standard output while the child runs; `nil` when it ends first or `timeout` passes.
    package func readLine(timeout: Duration) -> String? {
        let (seconds, attoseconds) = timeout.components
        return output.takeLine(until: Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18))
    }

    /// Waits for exit and returns the status with everything printed (bar the lines ``readLine(timeout:)``
    /// took); a child still running after `timeout` is killed with SIGKILL (status 9 then tells the test it
    /// hung instead of hanging the run).
    package func finish(timeout: Duration = .seconds(300)) -> (status: Int32, stdout: String, stderr: String) {
        let process = process
        let seconds = Double(timeout.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let out = output.rest()
        let err = errors.rest()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// Runs `logfold ARGUMENTS` to completion.
    package static func run(_ arguments: [String], stdin: FileHandle? = nil, environment: [String: String] = [:])
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        try LogfoldProcess(arguments, stdin: stdin, environment: environment).finish()
    }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether it held.
///
/// Used only where a test waits on another process (a child's progress), which no in-process signal can
/// report; never as a substitute for ordering inside one process.
package func eventually(timeout: Duration = .seconds(60), _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        // A poll: the condition is another process's state, which cannot signal this one.
        Thread.sleep(forTimeInterval: 0.005)
    }
    return try condition()
}

/// Reads a pipe to its end on a thread of its own, keeping what it read until it is taken.
private final class PipeDrain: @unchecked Sendable {
    // @unchecked: `data` and `ended` are read and written only under `condition`'s lock.
    private let condition = NSCondition()
    private var data = Data()
    private var ended = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var open = true
            while open {
                let chunk = handle.availableData  // blocks until output comes; empty at the end
                open = !chunk.isEmpty
                condition.lock()
                if open { data.append(chunk) } else { ended = true }
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Takes the first line (without its newline); `nil` when the pipe ends first or `deadline` passes.
    func takeLine(until deadline: Date) -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = data.firstIndex(of: 0x0A) {
                let line = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
                data.removeSubrange(data.startIndex...newline)
                return line
            }
            if ended || !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the pipe's end and returns everything not taken.
    func rest() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return data
    }
}
