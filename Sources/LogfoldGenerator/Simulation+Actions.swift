/// What each visit action does to the customer (and their open order), and the entry it writes.
extension Simulation {
    /// Performs one visit action and writes its entry (nothing when it is no longer possible).
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
            data("price", money: catalog.products[product].cents)
            end()
        case .deleteItem:
            let removable = orders[slot].lines.indices.filter {
                catalog.products[orders[slot].lines[$0].product].kind != .sub
            }
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
            let (out, into) =
                undo
                ? (Phrases.substitutions[pair].into, Phrases.substitutions[pair].out)
                : (Phrases.substitutions[pair].out, Phrases.substitutions[pair].into)
            begin(undo ? .substitutionUndone : .substitutionMade)
            writeCustomer(c)
            writeOrder(slot)
            data("removed_sku", quoted: out.sku)
            data("removed_name", quoted: out.name)
            data("added_sku", quoted: into.sku)
            data("added_name", quoted: into.name)
            end()
        case .changeOrderBox:
            guard let index = orders[slot].lines.firstIndex(where: { catalog.products[$0.product].kind == .sub }) else {
                return
            }
            let old = orders[slot].lines[index].product
            let new = otherBox(than: old)
            orders[slot].lines[index] = .init(
                lineID: nextLine(), product: new, quantity: orders[slot].lines[index].quantity)
            refreshDiscount(slot)
            begin(.boxChanged)
            writeCustomer(c)
            writeOrder(slot)
            data("from_box", quoted: catalog.products[old].quotedName)
            data("to_box", quoted: catalog.products[new].quotedName)
            data("delivery_date", day: orders[slot].deliveryDay)
            end()
        case .considerSkip:
            begin(.orderSkipConsidered)
            writeCustomer(c)
            data("delivery_date", day: orders[slot].deliveryDay)
            data("order_id", id: orders[slot].number)
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
            data("order_id", id: orders[slot].number)
            if rng.below(100) < 40 { data("reason", quoted: rng.pick(Phrases.skipReasons)) }
            end()
            emitOrderCancelled(c, order: slot, reason: "skipped", by: "customer")
        case .useDiscountCode:
            let code = rng.below(Phrases.discountCodes.count)
            Simulation.applyDiscount(code, to: &orders[slot])
            emitDiscountCodeUsed(c, code: code, order: slot)
        case .useGiftCertificate:
            emitGiftCertificateUsed(c, order: slot, code: giftCode(), credit: rng.below(100) < 60 ? 2_500 : 5_000)
        case .changeSchedule:
            let old = customers[c].schedule
            let choices: [CustomerRecord.Schedule] = [.weekly, .biweekly, .monthly].filter { $0 != old }
            let new = rng.pick(choices)
            customers[c].schedule = new
            begin(.scheduleChanged)
            writeCustomer(c)
            data("from_schedule", schedule: old)
            data("to_schedule", schedule: new)
            end()
        case .skipDelivery:
            let skipped = customers[c].nextDelivery
            customers[c].resetDelivery = skipped
            customers[c].nextDelivery = skipped + customers[c].schedule.period
            customers[c].naturalNextDelivery = customers[c].nextDelivery
            customers[c].scheduleModification = 2
            replan(c)
            begin(.deliverySkipped)
            writeCustomer(c)
            data("delivery_date", day: skipped)
            end()
        case .addDelivery:
            customers[c].resetDelivery = customers[c].nextDelivery
            customers[c].nextDelivery -= 7
            customers[c].scheduleModification = 1
            replan(c)
            begin(.deliveryAdded)
            writeCustomer(c)
            data("delivery_date", day: customers[c].nextDelivery)
            end()
        case .resetSchedule:
            customers[c].nextDelivery = customers[c].resetDelivery
            customers[c].naturalNextDelivery = customers[c].resetDelivery
            replan(c)
            customers[c].scheduleModified = false
            let modification = customers[c].scheduleModification
            customers[c].scheduleModification = 0
            begin(.scheduleReset)
            writeCustomer(c)
            data("removed_adds", int: modification == 1 ? 1 : 0)
            data("removed_skips", int: modification == 2 ? 1 : 0)
            end()
        case .changeSubscriptionBox:
            let old = customers[c].box
            let new = otherBox(than: old)
            customers[c].box = new
            begin(.boxSubscriptionChanged)
            writeCustomer(c)
            data("from_box", quoted: catalog.products[old].quotedName)
            data("to_box", quoted: catalog.products[new].quotedName)
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
            data("frequency", literal: "every_delivery")
            end()
        case .updateRecurring:
            let index = rng.below(customers[c].recurring.count)
            let old = customers[c].recurring[index].quantity
            let new = old == 1 ? 2 : (rng.below(100) < 70 ? old - 1 : old + 1)
            customers[c].recurring[index].quantity = new
            begin(.recurringProductUpdated)
            writeCustomer(c)
            writeProductData(customers[c].recurring[index].product, quantity: new)
            data("frequency", literal: "every_delivery")
            data("previous_quantity", int: old)
            end()
        case .removeRecurring:
            let item = customers[c].recurring.remove(at: rng.below(customers[c].recurring.count))
            begin(.recurringProductRemoved)
            writeCustomer(c)
            data("product_id", id: catalog.products[item.product].productID)
            data("sku", quoted: catalog.products[item.product].quotedSKU)
            data("name", quoted: catalog.products[item.product].quotedName)
            end()
        case .updatePaymentInfo:
            customers[c].cardLast4 = rng.below(10_000)
            if customers[c].risky, rng.below(100) < 50 { customers[c].risky = false }
            begin(.paymentInfoUpdated)
            writeCustomer(c)
            data("method", literal: "card")
            data("card_brand", quoted: rng.pick(Phrases.cardBrands))
            key("card_last4")
            writer.byte(UInt8(ascii: "\""))
            writer.fourDigits(customers[c].cardLast4)
            writer.byte(UInt8(ascii: "\""))
            key("expires")
            writer.byte(UInt8(ascii: "\""))
            writer.twoDigits(1 + rng.below(12))
            writer.byte(UInt8(ascii: "/"))
            writer.twoDigits((clock.date(ofDay: today).year + 1 + rng.below(5)) % 100)
            writer.byte(UInt8(ascii: "\""))
            end()
            if customers[c].status == .onHold { resume(c, reason: "payment_updated") }
        case .updateAddress:
            let moved = rng.below(100) < 30
            if moved {
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
            key("fields")
            if moved {
                writer.append("[\"line1\",\"line2\",\"city\",\"region\",\"zip\"]")
            } else {
                writer.append("[\"line1\",\"line2\",\"zip\"]")
            }
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
            data("recipient_count", int: 1 + rng.weighted([50, 25, 15, 10]))
            key("referral_code")
            writer.append("\"FRIEND-")
            writer.decimal(customers[c].number)
            writer.byte(UInt8(ascii: "\""))
            end()
        case .buyGiftBox:
            let quantity = rng.below(100) < 80 ? 1 : 2
            let box = catalog.boxes[rng.weighted(catalog.boxWeights)]
            begin(.giftBoxPurchased)
            writeCustomer(c)
            data("boxes", int: quantity)
            data("box", quoted: catalog.products[box].quotedName)
            data("amount", money: catalog.products[box].cents * quantity)
            data("recipient_name", quoted: rng.pick(Phrases.giftRecipients))
            data("certificate_code", quoted: giftCode())
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
