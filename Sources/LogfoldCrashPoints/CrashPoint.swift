import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A named place in the write path where a test can have the process kill itself with `SIGKILL`, as a
/// power cut or the OOM killer would.
///
/// `LOGFOLD_TEST_CRASH_AT=store.commit.inside:7` arms one point: the seventh time the process reaches
/// it, it sends itself `SIGKILL`. Unarmed (the variable unset, as in production) a point costs one
/// load of a static. The crash-point harness (`CrashPointHarnessTests`, docs/reliability.md) arms a
/// seeded random point per run.
package enum CrashPoint: String, Sendable, CaseIterable {
    /// Inside the journal's write transaction, every record of the batch written, before the commit.
    case journalAppendInside = "journal.append.inside"
    /// Just after a journal batch committed, before the caller hears of it.
    case journalAppendAfter = "journal.append.after"
    /// Inside the store's batch transaction (state, outbox, checkpoint written), before the commit.
    case storeCommitInside = "store.commit.inside"
    /// Just after a projector batch committed.
    case storeCommitAfter = "store.commit.after"
    /// Just before a request goes out to a destination.
    case sendRequestBefore = "send.request.before"
    /// After a destination accepted a request, before its rows are marked delivered.
    case sendAnsweredBeforeMarking = "send.answered.before-marking"
    /// Inside the transaction that marks rows delivered (with the ledger), before its commit.
    case sendMarkingInside = "send.marking.inside"
    /// Just after the marking committed.
    case sendMarkingAfter = "send.marking.after"

    /// The environment variable that arms a point: `NAME:N`.
    package static let environmentVariable = "LOGFOLD_TEST_CRASH_AT"

    /// Counts this arrival and kills the process when it is the armed one.
    @inline(__always)
    package func reach() {
        guard let armed = Armed.current, armed.point == self else { return }
        armed.arrive()
    }
}

/// The point armed for this process, read once from the environment.
private final class Armed: Sendable {
    static let current: Armed? = {
        guard let raw = getenv(CrashPoint.environmentVariable) else { return nil }
        let text = String(cString: raw)
        guard let colon = text.lastIndex(of: ":"),
            let point = CrashPoint(rawValue: String(text[..<colon])),
            let at = Int(text[text.index(after: colon)...]), at >= 1
        else {
            // A test that misspells a point must not pass by never crashing.
            let message =
                "logfold: \(CrashPoint.environmentVariable)=\(text) names no crash point; use NAME:N with "
                + "NAME one of \(CrashPoint.allCases.map(\.rawValue).joined(separator: ", "))\n"
            _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
            exit(70)
        }
        return Armed(point: point, at: at)
    }()

    let point: CrashPoint
    let at: Int
    private let arrivals = Atomic<Int>(0)

    init(point: CrashPoint, at: Int) {
        self.point = point
        self.at = at
    }

    func arrive() {
        if arrivals.add(1, ordering: .relaxed).newValue >= at { kill(getpid(), SIGKILL) }
    }
}
