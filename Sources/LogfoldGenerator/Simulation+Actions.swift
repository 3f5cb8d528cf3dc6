/// What each visit action does to the customer (and their open order), and the entry it writes.
extension Simulation {
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func perform(_ action: SessionAction, _ c: Int) {
        let slot = customers[c].cycleOrder
        switch action {
        case .justLook:
            return
        case .addAddon:
            // The same product may already be on the order: it gets a line of its own.
            let product = rng.below(100) < 60 ? rng.pick(catalog.addons) : rng.pick(catalog.menu)
            let quantity = rng.below(100) < 85 ? 1 : 2
            orders[slot].lines.append(.init(lineID: nextLine(), product: product, quantity: quantity))
            refreshDiscount(slot)
            begin(.addonAdded)
            writeCustomer(c)
            writeOrder(slot)
            writeProductData(product, quantity: quantity)
            end()
        case .deleteItem:
            let removable = orders[slot].lines.indices.filter { catalog.products[orders[slot].lines[$0].product].kind != .sub }
            guard !removable.isEmpty else { return }
            let line = orders[slot].lines.remove(at: rng.pick(removable))
            refreshDiscount(slot)
            begin(.itemDeleted)
            writeCustomer(c)
            writeOrder(slot)
            writeProductData(line.product, quantity: line.quantity)
            end()
        case .substitute, .undoSubstitution:
            let undo = action == .undoSubstitution
            let pair = undo ? customers[c].lastSubstitution : rng.below(Phrases.substitutions.count)
            customers[c].lastSubstitution = pair
            customers[c].substitutionsMade += undo ? -1 : 1
            begin(undo ? .substitutionUndone : .substitutionMade)
            writeCustomer(c)
            data("order_id", id: orders[slot].number)
            data("removed", quoted: undo ? Phrases.substitutions[pair].1 : Phrases.substitutions[pair].0)
            data("added", quoted: undo ? Phrases.substitutions[pair].0 : Phrases.substitutions[pair].1)
            end()
        case .changeOrderBox:
            guard let index = orders[slot].lines.firstIndex(where: { catalog.products[$0.product].kind == .sub }) else {
                return
            }
            let old = orders[slot].lines[index].product
            let new = otherBox(than: old)
            orders[slot].lines[index] = .init(lineID: nextLine(), product: new, quantity: orders[slot].lines[index].quantity)
            refreshDiscount(slot)
            begin(.boxChanged)
            writeCustomer(c)
            writeOrder(slot)
            data("old_box", quoted: catalog.products[old].quotedName)
            data("new_box", quoted: catalog.products[new].quotedName)
            end()
        case .considerSkip:
            begin(.orderSkipConsidered)
            writeCustomer(c)
            writeOrder(slot)
            data("delivery_date", day: orders[slot].deliveryDay)
            end()
        case .skipOrder:
            let day = orders[slot].deliveryDay
            orders[slot].status = .cancelled
            customers[c].cycleOrder = -1
            advanceCycle(c, after: day)
            begin(.orderSkipped)
            writeCustomer(c)
            writeOrder(slot)
            data("delivery_date", day: day)
            end()
            emit(.orderCancelled, customer: c, order: slot, reason: "skipped")
        case .useDiscountCode:
            let code = rng.below(Phrases.discountCodes.count)
            Simulation.applyDiscount(code, to: &orders[slot])
            emitDiscountCodeUsed(c, code: code, order: slot)
        case .useGiftCertificate:
            begin(.giftCertificateUsed)
            writeCustomer(c)
            writeOrder(slot)
            data("code", quoted: giftCode())
            data("amount", money: rng.below(100) < 60 ? 2_500 : 5_000)
            end()
        case .changeSchedule:
            let old = customers[c].schedule
            let choices: [CustomerRecord.Schedule] = [.weekly, .biweekly, .monthly].filter { $0 != old }
            let new = rng.pick(choices)
            customers[c].schedule = new
            begin(.scheduleChanged)
            writeCustomer(c)
            data("old_schedule", schedule: old)
            data("new_schedule", schedule: new)
            end()
        case .skipDelivery:
            let skipped = customers[c].nextDelivery
            customers[c].resetDelivery = skipped
            customers[c].nextDelivery = skipped + customers[c].schedule.period
            customers[c].naturalNextDelivery = customers[c].nextDelivery
            replan(c)
            begin(.deliverySkipped)
            writeCustomer(c)
            data("date", day: skipped)
            end()
        case .addDelivery:
            customers[c].resetDelivery = customers[c].nextDelivery
            customers[c].nextDelivery -= 7
            replan(c)
            begin(.deliveryAdded)
            writeCustomer(c)
            data("date", day: customers[c].nextDelivery)
            end()
        case .resetSchedule:
            customers[c].nextDelivery = customers[c].resetDelivery
            customers[c].naturalNextDelivery = customers[c].resetDelivery
            replan(c)
            customers[c].scheduleModified = false
            begin(.scheduleReset)
            writeCustomer(c)
            data("next_delivery", day: customers[c].nextDelivery)
            end()
        case .changeSubscriptionBox:
            let old = customers[c].box
            let new = otherBox(than: old)
            customers[c].box = new
            begin(.boxSubscriptionChanged)
            writeCustomer(c)
            data("old_box", quoted: catalog.products[old].quotedName)
            data("new_box", quoted: catalog.products[new].quotedName)
            end()
        case .addRecurring:
            let taken = customers[c].recurring.map(\.product)
            let available = catalog.addons.filter { !taken.contains($0) }
            guard !available.isEmpty else { return }
            let item = CustomerRecord.Recurring(product: rng.pick(available), quantity: rng.below(100) < 85 ? 1 : 2)
            customers[c].recurring.append(item)
            begin(.recurringProductAdded)
            writeCustomer(c)
            writeProductData(item.product, quantity: item.quantity)
            end()
        case .updateRecurring:
            let index = rng.below(customers[c].recurring.count)
            let old = customers[c].recurring[index].quantity
            let new = old == 1 ? 2 : (rng.below(100) < 70 ? old - 1 : old + 1)
            customers[c].recurring[index].quantity = new
            begin(.recurringProductUpdated)
            writeCustomer(c)
            writeProductData(customers[c].recurring[index].product, quantity: new)
            data("old_quantity", int: old)
            end()
        case .removeRecurring:
            let item = customers[c].recurring.remove(at: rng.below(customers[c].recurring.count))
            begin(.recurringProductRemoved)
            writeCustomer(c)
            writeProductData(item.product, quantity: item.quantity)
            end()
        case .updatePaymentInfo:
            customers[c].cardLast4 = rng.below(10_000)
            if customers[c].risky, rng.below(100) < 50 { customers[c].risky = false }
            begin(.paymentInfoUpdated)
            writeCustomer(c)
            data("card_brand", quoted: rng.pick(Phrases.cardBrands))
            key("last4")
            writer.byte(UInt8(ascii: "\""))
            writer.fourDigits(customers[c].cardLast4)
            writer.byte(UInt8(ascii: "\""))
            end()
            if customers[c].status == .onHold { resume(c, reason: "payment_updated") }
        case .updateAddress:
            let previousZip = customers[c].zip
            if rng.below(100) < 30 {
                customers[c].city = rng.weighted(Directory.cityWeights)
                customers[c].areaCode = Directory.cities[customers[c].city].areaCode
            }
            customers[c].zip = Directory.cities[customers[c].city].zipPrefix * 100 + rng.below(100)
            customers[c].houseNumber = 10 + rng.below(990)
            customers[c].street = rng.below(Directory.streets.count)
            customers[c].unit = rng.below(100) < 25 ? 1 + rng.below(40) : 0
            renderIdentity(c)
            begin(.addressUpdated)
            writeCustomer(c)
            key("previous_zip")
            writer.byte(UInt8(ascii: "\""))
            if previousZip < 10_000 { writer.byte(UInt8(ascii: "0")) }
            writer.decimal(previousZip)
            writer.byte(UInt8(ascii: "\""))
            end()
        case .updateShippingNotes:
            begin(.shippingNotesUpdated)
            writeCustomer(c)
            data("notes", quoted: rng.pick(Phrases.shippingNotes))
            end()
        case .addBirthday:
            customers[c].birthdayAdded = true
            begin(.birthdayAdded)
            writeCustomer(c)
            key("birthday")
            writer.byte(UInt8(ascii: "\""))
            writer.fourDigits(1950 + rng.below(55))
            writer.byte(UInt8(ascii: "-"))
            writer.twoDigits(1 + rng.below(12))
            writer.byte(UInt8(ascii: "-"))
            writer.twoDigits(1 + rng.below(28))
            writer.byte(UInt8(ascii: "\""))
            end()
        case .updateProfile:
            let r = rng.below(100)
            let field: StaticString
            if r < 60 {
                customers[c].phoneSuffix = rng.below(100)
                field = "phone"
            } else if r < 85 {
                customers[c].lastName = rng.below(Directory.lastNames.count)
                field = "last_name"
            } else {
                customers[c].email = uniqueEmail(first: customers[c].firstName, last: customers[c].lastName)
                field = "email"
            }
            renderIdentity(c)
            begin(.customerUpdated)
            writeCustomer(c)
            key("fields")
            writer.append("[\"")
            writer.append(field)
            writer.append("\"]")
            end()
        case .shareWithFriends:
            begin(.friendsShared)
            writeCustomer(c)
            data("recipients", int: 1 + rng.weighted([50, 25, 15, 10]))
            end()
        case .buyGiftBox:
            let quantity = rng.below(100) < 80 ? 1 : 2
            begin(.giftBoxPurchased)
            writeCustomer(c)
            data("quantity", int: quantity)
            data("amount", money: 4_995 * quantity)
            data("gift_code", quoted: giftCode())
            end()
        case .contactForm:
            begin(.contactForm)
            writeCustomer(c)
            data("subject", quoted: rng.pick(Phrases.contactSubjects))
            data("message", quoted: rng.pick(Phrases.contactMessages))
            end()
        case .unsubscribe:
            customers[c].subscribed = false
            begin(.emailUnsubscribed)
            writeCustomer(c)
            data("source", literal: "account_settings")
            end()
        case .resubscribe:
            customers[c].subscribed = true
            begin(.emailSubscribed)
            writeCustomer(c)
            data("source", literal: "account_settings")
            end()
        case .cancelAccount:
            cancelAccount(c)
        case .reactivate:
            resume(c, reason: "reactivated")
        case .restartSignup:
            beginSignup(c)
        case .optInSMS:
            begin(.smsOptedIn)
            writeCustomer(c)
            data("source", literal: "account_settings")
            end()
        }
    }

    /// The delivery plan changed (skip, add, reset): forget the planned creation and plan anew.
    private mutating func replan(_ c: Int) {
        customers[c].scheduleModified = true
        customers[c].cycleToken &+= 1
        scheduleOrderCreation(c)
    }

    /// A box other than `box`, by the signup weights.
    private mutating func otherBox(than box: Int) -> Int {
        while true {
            let candidate = catalog.boxes[rng.weighted(catalog.boxWeights)]
            if candidate != box { return candidate }
        }
    }

    /// Keeps a percentage discount in step with the order's lines.
    private mutating func refreshDiscount(_ slot: Int) {
        let code = orders[slot].discountCode
        if code >= 0 { Simulation.applyDiscount(code, to: &orders[slot]) }
    }

    /// `"product_id","sku","name","quantity"` of a product in `data`.
    private mutating func writeProductData(_ product: Int, quantity: Int) {
        data("product_id", id: catalog.products[product].productID)
        data("sku", quoted: catalog.products[product].quotedSKU)
        data("name", quoted: catalog.products[product].quotedName)
        data("quantity", int: quantity)
    }
}
