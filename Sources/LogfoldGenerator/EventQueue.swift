/// Something that will happen: the simulation's unit of work, ordered by time then by scheduling order.
struct Pending {
    /// What to do when the time comes.
    enum Action: UInt8 {
        /// Local midnight: schedule the day's arrivals.
        case dayStart
        /// A new person appears (`ref`: the arrival channel).
        case arrive
        /// A gift recipient starts the signup they were given.
        case startSignup
        /// A prospect finishes the signup (`ref`: 1 when through a promo account).
        case completeSignup
        /// A visit to the website (`ref`: the visit's intent).
        case session
        /// The next action within a visit (`ref`: actions left; `epoch`: the intent).
        case sessionStep
        /// The weekly robot creates the order of the next delivery (`ref`: the delivery day).
        case createOrder
        /// Billing at the cutoff (`ref`: the order slot), and its retry the next morning.
        case bill, retryBill
        /// The order's way to the door (`ref`: the order slot).
        case ship, shippingEmail, remind, deliver
        /// After delivery, rarely (`ref`: the order slot).
        case refund, chargeback
        /// A stopped customer comes back (`ref` 0) or is marked dead (`ref` 1).
        case stoppedFate
        /// An on-hold customer who never fixed the payment is stopped or marked dead.
        case holdExpiry
        /// The referrer gets a credit (`ref`: the referred customer).
        case referralCredit
        /// Email preferences: unsubscribes from a link, re-subscribes in the preference center.
        case mailbox
    }

    var time: Int64
    var seq: UInt64
    var action: Action
    var customer: Int32
    var ref: Int32
    var epoch: UInt32

    @inline(__always)
    func precedes(_ other: Pending) -> Bool {
        time < other.time || (time == other.time && seq < other.seq)
    }
}

/// A binary min-heap of `Pending`, ordered by (time, seq): a deterministic agenda.
struct EventQueue {
    private var heap: [Pending] = []
    private var nextSeq: UInt64 = 0

    init() { heap.reserveCapacity(1 << 16) }

    var isEmpty: Bool { heap.isEmpty }

    /// The earliest pending item's time.
    var nextTime: Int64? { heap.first?.time }

    /// Schedules `action` at `time`; ties are broken by scheduling order.
    mutating func push(_ time: Int64, _ action: Pending.Action, customer: Int, ref: Int = 0, epoch: UInt32 = 0) {
        let item = Pending(
            time: time, seq: nextSeq, action: action, customer: Int32(truncatingIfNeeded: customer),
            ref: Int32(truncatingIfNeeded: ref), epoch: epoch
        )
        nextSeq += 1
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !item.precedes(heap[parent]) { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = item
    }

    /// Removes and returns the earliest item.
    mutating func pop() -> Pending? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        var parent = 0
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            let right = left + 1
            let child = right < count && heap[right].precedes(heap[left]) ? right : left
            if !heap[child].precedes(last) { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
        return first
    }
}
