import LogfoldTestSupport
import Testing

@testable import LogfoldStore

/// A floor per set of outbox kinds (schema v16): a stream that caught up starts its pass at its own floor.
@Suite("Outbox floors per set of kinds") struct OutboxKindFloorTests {
    static let eventKinds = ["event"]
    static let profileKinds = ["profile"]

    /// A store of ``StoreFixture/filled(at:)`` and its rows' ordinals: all of them, its events', its profiles'.
    struct Filled {
        let directory: TemporaryDirectory
        let store: StateStore
        let all: [UInt64]
        let events: [UInt64]
        let profiles: [UInt64]

        init() throws {
            directory = try TemporaryDirectory(prefix: "logfold-kind-floors")
            store = try StoreFixture.filled(at: directory.path + "/state.sqlite")
            let rows = try store.outbox(status: nil, limit: nil, after: nil)
            all = rows.map(\.row.ordinal)
            events = rows.filter { $0.row.kind == "event" }.map(\.row.ordinal)
            profiles = rows.filter { $0.row.kind == "profile" }.map(\.row.ordinal)
        }
    }

    /// The stored floor of `kinds`, if any.
    static func kindFloor(_ kinds: [String], _ store: StateStore) throws -> Int64? {
        let mask = try #require(StateStore.kindMask(kinds))
        return try StoreFixture.strings(
            "SELECT ordinal FROM outbox_kind_floors WHERE kinds = \(mask)", in: store
        ).first.flatMap { Int64($0) }
    }

    @Test(
        "events all delivered, profiles pending: the event stream's floor passes the outbox floor, and a retried event lowers it"
    )
    func eventStreamPassesTheProfiles() throws {
        let filled = try Filled()
        let (store, events, profiles) = (filled.store, filled.events, filled.profiles)
        try #require(events.count > 2 && !profiles.isEmpty)
        try store.settle(events.map { .delivered($0, "accepted") }, ledger: [], at: 1)

        #expect(try store.pendingOutbox(kinds: Self.eventKinds, limit: 100, after: nil).isEmpty)
        // The outbox floor waits at the first pending profile; the events' floor is past the last row.
        #expect(try store.advanceOutboxFloor() == Int64(try #require(profiles.min())))
        let last = Int64(try #require(filled.all.max()))
        #expect(try Self.kindFloor(Self.eventKinds, store) == last + 1)
        // The profile stream still starts at its first pending row.
        let profileWindow = try store.pendingOutbox(kinds: Self.profileKinds, limit: 100, after: nil)
        #expect(profileWindow.map(\.row.ordinal) == profiles)

        // An event dead-lettered and put back by an operator lies below the events' floor: it lowers it.
        let retried = events[1]
        try store.settle([.dead(retried, "HTTP 400")], ledger: [], at: 2)
        let key = try #require(try store.outbox(status: "dead", limit: nil, after: nil).first?.row.key)
        #expect(try store.retryDead(keys: [key]) == 1)
        #expect(try store.pendingOutbox(kinds: Self.eventKinds, limit: 100, after: nil).map(\.row.ordinal) == [retried])
        #expect(try Self.kindFloor(Self.eventKinds, store) == Int64(retried))
    }

    @Test("a row put back between reading the outbox floor and moving a kinds' floor is not skipped")
    func staleOutboxFloor() throws {
        let filled = try Filled()
        let (store, events, profiles) = (filled.store, filled.events, filled.profiles)
        // The first event dead, the others delivered but the last; the profiles pending.
        let (dead, last) = (try #require(events.first), try #require(events.last))
        try #require(dead < (profiles.min() ?? 0))
        try store.settle(
            [.dead(dead, "HTTP 400")] + events.dropFirst().dropLast().map { .delivered($0, "accepted") }, ledger: [],
            at: 1)
        #expect(try store.pendingOutbox(kinds: Self.eventKinds, limit: 100, after: nil).map(\.row.ordinal) == [last])
        // The sender reads the outbox floor (held by the first profile)...
        let seen = try store.advanceOutboxFloor()
        #expect(seen == Int64(try #require(profiles.min())))
        // ... an operator puts the dead event back, which lowers every floor ...
        let key = try #require(try store.outbox(status: "dead", limit: nil, after: nil).first?.row.key)
        #expect(try store.retryDead(keys: [key]) == 1)
        // ... and the sender moves the events' floor with the value it read before.
        #expect(try store.advanceKindFloor(Self.eventKinds, above: seen) <= Int64(dead))
        let window = try store.pendingOutbox(kinds: Self.eventKinds, limit: 100, after: nil)
        #expect(window.map(\.row.ordinal) == [dead, last])
        #expect(try store.pendingOutbox(kinds: [], limit: 100, after: nil).isEmpty)
    }

    @Test("a set of kinds with a kind outside the floors' list has no floor of its own")
    func unknownKinds() {
        #expect(StateStore.kindMask(["event", "suppress", "unsuppress"]) == 0b1101)
        #expect(StateStore.kindMask(["profile", "list_add", "list_remove"]) == 0b11_0010)
        #expect(StateStore.kindMask(["event", "mystery"]) == nil)
        #expect(StateStore.kindMask([]) == nil)
    }
}
