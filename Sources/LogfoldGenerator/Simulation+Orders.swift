/// The order cycle: created days before delivery, billed at the cutoff (or declined, retried, put on
/// hold), shipped, announced, delivered; rarely refunded, more rarely charged back.
///
/// Each order has exactly one pending chain item at a time (bill → ship → email → reminder → delivery →
/// refund → chargeback), and its slot is reused only when that chain ends.
extension Simulation {
    /// Plans the robot's creation of the order for the next delivery, five days before it.
    mutating func scheduleOrderCreation(_ c: Int) {
        let day = customers[c].nextDelivery
        guard day >= 0 else { return }
        queue.push(
            robotTime(day: day - 5, fromHour: 1, hours: 3), .createOrder, customer: c, ref: day,
            epoch: customers[c].cycleToken
        )
    }

    /// The robot's planned creation, unless the plan changed since (skip, add, cancel, hold).
    mutating func createScheduledOrder(_ c: Int, deliveryDay: Int, token: UInt32) {
        guard customers[c].cycleToken == token, customers[c].status == .active, customers[c].cycleOrder < 0,
            customers[c].nextDelivery == deliveryDay
        else { return }
        createOrder(c, deliveryDay: deliveryDay, welcome: false)
    }

    /// `order.created` (after `welcome_order.created` when built on the welcome page), then billing at
    /// the cutoff two days before delivery.
    mutating func createOrder(_ c: Int, deliveryDay: Int, welcome: Bool) {
        let slot = newOrder(c, deliveryDay: deliveryDay)
        if welcome {
            begin(.welcomeOrderCreated)
            writeCustomer(c)
            writeOrder(slot)
            data("order_id", id: orders[slot].number)
            end()
        }
        emit(.orderCreated, customer: c, order: slot)
        let credit = customers[c].giftCredit
        if credit > 0 {
            customers[c].giftCredit = 0
            emitGiftCertificateUsed(c, order: slot, code: customers[c].giftCode, credit: credit)
        }
        queue.push(robotTime(day: deliveryDay - 2, fromHour: 5, hours: 2), .bill, customer: c, ref: slot)
    }

    /// A new order: the box, the recurring add-ons, some picks from the weekly menu (sometimes the same
    /// product on two lines), a one-off add-on now and then, and the pending discount.
    private mutating func newOrder(_ c: Int, deliveryDay: Int) -> Int {
        var lines: [OrderRecord.Line] = []
        lines.reserveCapacity(6)
        lines.append(.init(lineID: nextLine(), product: customers[c].box, quantity: rng.below(100) < 3 ? 2 : 1))
        for item in customers[c].recurring {
            lines.append(.init(lineID: nextLine(), product: item.product, quantity: item.quantity))
        }
        let menuCount = rng.weighted([70, 20, 7, 2, 1])
        var picked = 0
        while picked < menuCount {
            let product = rng.pick(catalog.menu)
            if lines.contains(where: { $0.product == product }) { continue }
            lines.append(.init(lineID: nextLine(), product: product, quantity: rng.below(100) < 85 ? 1 : 2))
            picked += 1
        }
        if menuCount > 0, rng.below(100) < 6 {
            // The platform sometimes splits one product over two lines (added twice from the menu page).
            lines.append(.init(lineID: nextLine(), product: lines[lines.count - 1].product, quantity: 1))
        }
        if rng.below(100) < 5 {
            lines.append(.init(lineID: nextLine(), product: rng.pick(catalog.addons), quantity: 1))
        }
        nextOrderNumber += 1 + (rng.below(100) < 20 ? 1 + rng.below(3) : 0)
        var order = OrderRecord(
            number: nextOrderNumber, customer: c, status: .open, createdAt: timestampBytes(now),
            deliveryDay: deliveryDay, lines: lines, discountCode: -1, discountCents: 0, epoch: customers[c].epoch
        )
        let code = customers[c].pendingDiscount
        if code >= 0 {
            Simulation.applyDiscount(code, to: &order)
            customers[c].pendingDiscount = -1
        }
        let slot: Int
        if let free = freeOrders.popLast() {
            slot = free
            orders[slot] = order
        } else {
            slot = orders.count
            orders.append(order)
        }
        customers[c].cycleOrder = slot
        customers[c].substitutionsMade = 0
        return slot
    }

    /// Sets a discount code's value on an order: a fixed amount, or a percentage of the subtotal.
    static func applyDiscount(_ code: Int, to order: inout OrderRecord) {
        let value = Phrases.discountCodes[code].value
        let subtotal = order.subtotalCents
        order.discountCode = code
        order.discountCents = value < 0 ? (subtotal * -value + 50) / 100 : min(value, subtotal)
    }

    /// A fresh order-line id.
    mutating func nextLine() -> Int {
        nextLineID += 1 + rng.below(2)
        return nextLineID
    }

    /// Billing at the cutoff (or its retry the next morning): `order.completed`, or `failed.payment`;
    /// a second decline cancels the order and puts the customer On Hold.
    mutating func bill(_ slot: Int, retry: Bool) {
        guard orders[slot].status == .open else {
            release(slot)
            return
        }
        let c = orders[slot].customer
        let failPercent = customers[c].risky ? (retry ? 50 : 22) : (retry ? 40 : 3)
        guard rng.below(100) < failPercent else {
            completeOrder(slot)
            return
        }
        let decline = rng.below(Phrases.declineMessages.count)
        begin(.failedPayment)
        writeCustomer(c)
        writeOrder(slot)
        data("reason", quoted: Phrases.declineReasons[decline])
        data("message", quoted: Phrases.declineMessages[decline])
        data("amount", money: orders[slot].totalCents)
        data("attempt", int: retry ? 2 : 1)
        data("gateway_code", quoted: Phrases.declineGatewayCodes[decline])
        end()
        if !retry {
            queue.push(
                robotTime(day: orders[slot].deliveryDay - 1, fromHour: 5, hours: 2), .retryBill, customer: c, ref: slot
            )
            return
        }
        orders[slot].status = .cancelled
        emitOrderCancelled(c, order: slot, reason: "payment_failed", by: "system")
        let old = customers[c].status
        customers[c].status = .onHold
        customers[c].epoch &+= 1
        customers[c].cycleToken &+= 1
        customers[c].cycleOrder = -1
        customers[c].nextDelivery = -1
        emitStatusChange(c, from: old, reason: "payment_failed")
        queue.push(
            now + Int64(21 * 86_400 + rng.below(20 * 86_400)), .holdExpiry, customer: c, epoch: customers[c].epoch
        )
        release(slot)
    }

    /// `order.completed`: billing succeeded; a referrer earns a credit on the first one.
    private mutating func completeOrder(_ slot: Int) {
        let c = orders[slot].customer
        orders[slot].status = .completed
        begin(.orderCompleted)
        writeCustomer(c)
        writeOrder(slot)
        data("amount", money: orders[slot].totalCents)
        data("payment_method", literal: "card")
        end()
        customers[c].completedOrders += 1
        let referrer = customers[c].referrer
        if customers[c].completedOrders == 1, referrer >= 0 {
            queue.push(now + 600 + Int64(rng.below(4 * 3_600)), .referralCredit, customer: referrer, ref: c)
        }
        if configuration.includeUnknownTypes, rng.below(100) < 3 {
            begin(.loyaltyPointsAwarded)
            writeCustomer(c)
            data("points", int: orders[slot].totalCents / 100)
            data("order_id", id: orders[slot].number)
            end()
        }
        queue.push(
            robotTime(day: orders[slot].deliveryDay - 1, fromHour: 13, hours: 6), .ship, customer: c, ref: slot
        )
    }

    /// `order.shipped` with the carrier and tracking number, the day before delivery.
    mutating func ship(_ slot: Int) {
        let c = orders[slot].customer
        let carrier = rng.below(Phrases.carriers.count)
        orders[slot].carrier = carrier
        orders[slot].tracking = trackingNumber(carrier: carrier)
        begin(.orderShipped)
        writeCustomer(c)
        writeOrder(slot)
        data("carrier", quoted: Phrases.carriers[carrier])
        data("tracking_number", quoted: orders[slot].tracking)
        end()
        queue.push(now + 120 + Int64(rng.below(2_400)), .shippingEmail, customer: c, ref: slot)
    }

    /// `shipping.email`: the email with the tracking information went out.
    mutating func sendShippingEmail(_ slot: Int) {
        let c = orders[slot].customer
        let day = orders[slot].deliveryDay
        begin(.shippingEmail)
        writeCustomer(c)
        data("order_id", id: orders[slot].number)
        data("carrier", quoted: Phrases.carriers[orders[slot].carrier])
        data("tracking_number", quoted: orders[slot].tracking)
        data("delivery_date", day: day)
        end()
        if customers[c].remindersOn {
            queue.push(robotTime(day: day, fromHour: 6, hours: 1), .remind, customer: c, ref: slot)
        } else {
            queue.push(robotTime(day: day, fromHour: 10, hours: 9), .deliver, customer: c, ref: slot)
        }
    }

    /// `delivery_reminder.sent`: the "delivery today" email, early on delivery day.
    mutating func remind(_ slot: Int) {
        let c = orders[slot].customer
        let day = orders[slot].deliveryDay
        begin(.deliveryReminderSent)
        writeCustomer(c)
        data("order_id", id: orders[slot].number)
        data("delivery_date", day: day)
        data("window", literal: "10:00-19:00")
        end()
        queue.push(robotTime(day: day, fromHour: 10, hours: 9), .deliver, customer: c, ref: slot)
    }

    /// `order.delivered`; the customer's cycle moves to the next delivery.
    mutating func deliver(_ slot: Int) {
        let c = orders[slot].customer
        emit(.orderDelivered, customer: c, order: slot)
        if customers[c].cycleOrder == slot, customers[c].status == .active {
            customers[c].cycleOrder = -1
            advanceCycle(c, after: orders[slot].deliveryDay)
        }
        if rng.below(1_000) < 20 {
            queue.push(now + 3 * 3_600 + Int64(rng.below(4 * 86_400)), .refund, customer: c, ref: slot)
        } else if rng.below(1_000) < 7 {
            queue.push(now + Int64(3 * 86_400 + rng.below(27 * 86_400)), .chargeback, customer: c, ref: slot)
        } else {
            release(slot)
        }
    }

    /// The next delivery by the schedule (or the natural one after an added delivery), a churn roll,
    /// and the plan for the next order's creation.
    mutating func advanceCycle(_ c: Int, after day: Int) {
        let natural = customers[c].naturalNextDelivery
        let next = natural > day ? natural : day + customers[c].schedule.period
        customers[c].nextDelivery = next
        customers[c].naturalNextDelivery = next
        customers[c].scheduleModified = false
        customers[c].cycleToken &+= 1
        let churnPerMille: Int
        if customers[c].completedOrders <= 1 {
            churnPerMille = 80
        } else {
            switch customers[c].schedule {
            case .none, .weekly: churnPerMille = 18
            case .biweekly: churnPerMille = 30
            case .monthly: churnPerMille = 45
            }
        }
        if rng.below(1_000) < churnPerMille {
            let meanDays = Double(next - today) * 0.6
            queue.push(
                visitTime(meanDays: max(1, meanDays)), .session, customer: c, ref: SessionIntent.cancel.rawValue,
                epoch: customers[c].epoch
            )
        }
        scheduleOrderCreation(c)
    }

    /// `order.refunded`: a line or part of the order refunded after a complaint.
    mutating func refund(_ slot: Int) {
        let c = orders[slot].customer
        let total = orders[slot].totalCents
        var amount = (total * (25 + rng.below(26)) + 50) / 100
        let extras = orders[slot].lines.filter { catalog.products[$0.product].kind != .sub }
        if !extras.isEmpty, rng.below(100) < 50 {
            let line = rng.pick(extras)
            amount = min(total, catalog.products[line.product].cents * line.quantity)
        } else if rng.below(100) < 20 {
            amount = total
        }
        orders[slot].status = .refunded
        orders[slot].refundedCents = amount
        begin(.orderRefunded)
        writeCustomer(c)
        writeOrder(slot)
        data("reason", quoted: rng.pick(Phrases.refundReasons))
        data("amount", money: amount)
        data("refund_to", literal: rng.below(100) < 75 ? "card" : "account_credit")
        end()
        if rng.below(100) < 10 {
            queue.push(now + Int64(3 * 86_400 + rng.below(27 * 86_400)), .chargeback, customer: c, ref: slot)
        } else {
            release(slot)
        }
    }

    /// `order.chargeback`: the bank reversed the payment; half the time the account is closed (Dead).
    mutating func chargeback(_ slot: Int) {
        let c = orders[slot].customer
        let total = orders[slot].totalCents
        let amount = total - orders[slot].refundedCents > 0 ? total - orders[slot].refundedCents : total
        orders[slot].status = .refunded
        begin(.orderChargeback)
        writeCustomer(c)
        writeOrder(slot)
        data("reason", quoted: rng.pick(Phrases.chargebackReasons))
        data("amount", money: amount)
        data("fee", money: 1_500)
        key("dispute_id")
        writer.append("\"dp_")
        writer.decimal(orders[slot].number * 7 + 100_000_000_000 + rng.below(1_000_000))
        writer.byte(UInt8(ascii: "\""))
        end()
        if customers[c].status != .dead, rng.below(100) < 50 { markDead(c, reason: "chargeback") }
        release(slot)
    }

    /// `gift_certificate.used` on an order: the certificate's value against the order's total.
    mutating func emitGiftCertificateUsed(_ c: Int, order slot: Int, code: [UInt8], credit: Int) {
        let total = orders[slot].totalCents
        begin(.giftCertificateUsed)
        writeCustomer(c)
        writeOrder(slot)
        data("code", quoted: code)
        data("amount", money: min(credit, total))
        data("balance", money: max(0, credit - total))
        data("charge_due", money: max(0, total - credit))
        end()
    }

    /// Frees an order slot at the end of its chain.
    mutating func release(_ slot: Int) {
        let c = orders[slot].customer
        if customers[c].cycleOrder == slot { customers[c].cycleOrder = -1 }
        orders[slot].lines = []
        orders[slot].tracking = []
        freeOrders.append(slot)
    }

    /// A tracking number in the carrier's style (quoted).
    private mutating func trackingNumber(carrier: Int) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        func digits(_ n: Int, _ rng: inout Xoshiro256StarStar) -> [UInt8] {
            (0..<n).map { _ in UInt8(48 + rng.below(10)) }
        }
        switch Phrases.carriers[carrier].count {
        case 5:  // "UPS"
            out += Array("1Z".utf8)
            let alphabet = Array("0123456789ABCDEFGHJKLMNPRSTVWXY".utf8)
            for _ in 0..<6 { out.append(alphabet[rng.below(alphabet.count)]) }
            out += digits(10, &rng)
        case 7:  // "FedEx"
            out += digits(12, &rng)
        default:
            out += Array("KL".utf8)
            out += digits(10, &rng)
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
