internal import Hummingbird

extension SandboxResponder {
    /// Runs the endpoint's handler; a ``SandboxRejection`` becomes Klaviyo's error document.
    func handle(_ call: EndpointCall, ledger: inout SandboxResponder.Ledger) async -> Response {
        let events = ledger.entry.events
        do {
            return try await dispatch(call, ledger: &ledger)
        } catch let rejection as SandboxRejection {
            if events > 0 {
                ledger.counters["received"] = events
                ledger.counters["rejected"] = events
            }
            return SandboxResponse.errors(rejection.errors)
        } catch {
            return SandboxResponse.errors([Self.storeFailure(error)])
        }
    }

    private func dispatch(_ call: EndpointCall, ledger: inout SandboxResponder.Ledger) async throws -> Response {
        let now = state.now
        let store = state.store
        switch call.route.endpoint {
        case .events, .eventBulkCreate:
            let bulk = call.route.endpoint == .eventBulkCreate
            let validator = EventValidator(
                backfillAllowed: state.configuration.revisions.allowsBackfill(call.revision), now: now / 1000)
            let batch = try bulk ? validator.bulkCreate(call.body) : validator.createEvent(call.body)
            let outcome = try await store.storeEvents(
                batch, bulk: bulk, strictDuplicates: state.configuration.strictDuplicates, now: now)
            ledger.counters["received"] = batch.eventCount
            ledger.counters["accepted"] = outcome.accepted
            ledger.counters["deduplicated"] = outcome.deduplicated
            return SandboxResponse.empty(202)

        case .profileImport:
            let patch = try ProfileValidator.profileImport(call.body)
            let (profile, created) = try await store.importProfile(patch, now: now)
            let document = SandboxJSON.object([
                "data": .object([
                    "type": "profile",
                    "id": .string(profile.id),
                    "attributes": profile.attributes(),
                    "links": .object(["self": .string("\(call.baseURL)/api/profiles/\(profile.id)/")]),
                ]),
                "links": .object(["self": .string("\(call.baseURL)/api/profile-import/")]),
            ])
            return SandboxResponse.json(created ? 201 : 200, document)

        case .profileBulkImport:
            let request = try ProfileValidator.bulkImport(call.body)
            let job = try await store.runBulkImport(request, now: now, baseURL: call.baseURL)
            return SandboxResponse.json(202, .object(["data": job]))

        case .profileBulkImportGet:
            let id = call.route.id ?? ""
            guard let job = try await store.job(id: call.route.importErrors ? id + "/import-errors" : id) else {
                throw SandboxRejection(.notFound("No profile bulk import job with id '\(id)'."))
            }
            if call.route.importErrors {
                let link = "\(call.baseURL)/api/profile-bulk-import-jobs/\(id)/import-errors/"
                return SandboxResponse.json(
                    200,
                    .object(["data": job, "links": .object(["self": .string(link), "next": .null, "prev": .null])]))
            }
            return SandboxResponse.json(200, .object(["data": job]))

        case .suppressionCreate, .suppressionDelete, .subscriptionCreate, .subscriptionDelete:
            return try await consent(call, now: now)

        case .listsCreate:
            let name = try ListValidator.createList(call.body)
            let list = try await store.createList(name: name, now: now)
            return SandboxResponse.json(201, .object(["data": list.resource(baseURL: call.baseURL)]))

        case .listsGet:
            let filter = call.request.uri.queryParameters["filter"].map { String($0) }
            let name: String?
            switch ListValidator.nameFilter(filter) {
            case .success(let parsed): name = parsed
            case .failure(let error): throw SandboxRejection(error)
            }
            let lists = try await store.lists(named: name)
            return SandboxResponse.json(
                200,
                .object([
                    "data": .array(lists.map { $0.resource(baseURL: call.baseURL) }),
                    "links": .object(["self": .string("\(call.baseURL)/api/lists/"), "next": .null, "prev": .null]),
                ]))

        case .listProfilesAdd, .listProfilesRemove:
            let ids = try ListValidator.profileIDs(call.body)
            try await store.changeMembers(
                listID: call.route.id ?? "", profileIDs: ids, remove: call.route.endpoint == .listProfilesRemove,
                now: now)
            return SandboxResponse.empty(204)
        }
    }

    private func consent(_ call: EndpointCall, now: Int64) async throws -> Response {
        let action: ConsentAction
        let limit: Int
        switch call.route.endpoint {
        case .suppressionCreate: (action, limit) = (.suppress, 100)
        case .suppressionDelete: (action, limit) = (.unsuppress, 100)
        case .subscriptionCreate: (action, limit) = (.subscribe, 1_000)
        default: (action, limit) = (.unsubscribe, 100)
        }
        let isSuppression = action == .suppress || action == .unsuppress
        let job = try ConsentValidator.job(
            call.body, type: action.rawValue, limit: limit, requireEmail: isSuppression)
        let document = try await state.store.runConsentJob(job, action: action, now: now, baseURL: call.baseURL)
        // Klaviyo answers the suppression jobs with their document, the subscription jobs with no body.
        return isSuppression ? SandboxResponse.json(202, .object(["data": document])) : SandboxResponse.empty(202)
    }
}
