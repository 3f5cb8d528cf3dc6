import Foundation
import Synchronization

/// Entries journaled and rows delivered per minute over the last hour, for the daemon's status page.
///
/// Process-wide, like swift-metrics' backend: the ingestor and the senders record into it, the page reads
/// it. Minutes are counted on the wall clock given at ``init(now:)`` (the system's for ``shared``): the
/// chart is about when things happened here, never part of what the fold makes of the journal.
package final class ActivityRecorder: Sendable {
    /// What is counted.
    package enum Series: String, Sendable, CaseIterable {
        case entries
        case klaviyo
        case activecampaign
    }

    /// The one the daemon's parts record into.
    package static let shared = ActivityRecorder()

    private struct Minute {
        var minute: Int64
        var counts: [Series: Int]
    }

    /// The last 60 minutes, oldest first; minutes with nothing are absent.
    private let minutes = Mutex<[Minute]>([])
    private let now: @Sendable () -> Int64

    /// A recorder reading unix seconds from `now`.
    package init(now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.now = now
    }

    /// Adds `count` to `series` in the current minute.
    package func record(_ series: Series, count: Int) {
        guard count > 0 else { return }
        let minute = now() / 60
        minutes.withLock { minutes in
            if minutes.last?.minute != minute {
                minutes.append(Minute(minute: minute, counts: [:]))
                minutes.removeAll { $0.minute <= minute - 60 }
            }
            minutes[minutes.count - 1].counts[series, default: 0] += count
        }
    }

    /// The counts of the last 60 minutes, oldest first (the current one last), zeros included.
    package func lastHour() -> (firstMinute: Int64, counts: [Series: [Int]]) {
        let current = now() / 60
        let stored = minutes.withLock { $0 }
        var counts: [Series: [Int]] = [:]
        for series in Series.allCases {
            counts[series] = (0..<60).map { offset in
                let minute = current - 59 + Int64(offset)
                return stored.first { $0.minute == minute }?.counts[series] ?? 0
            }
        }
        return (current - 59, counts)
    }
}
